#pragma once

// Windows passes a program one command-line string, not an argv array; the program's runtime splits it again
// with CommandLineToArgvW's rules. Building that string is where arguments get merged or split, so it is done
// here, once, as the exact inverse of those rules.

#include <string>
#include <string_view>
#include <vector>

namespace airlock::sandbox::windows {

// One argument after the program name, quoted so that CommandLineToArgvW returns it unchanged.
std::string quote_argument(std::string_view argument);

// The whole command line for argv (UTF-8). argv[0] follows the program-name rules (no escapes exist there), so a
// program name with a double quote, or any argument with a NUL, cannot be expressed: std::invalid_argument.
std::string build_command_line(const std::vector<std::string>& argv);

// CreateProcessW runs .bat and .cmd files through cmd.exe, which reparses the line with its own metacharacters
// (%, ^, &, |): arguments quoted for CommandLineToArgvW are not safe there, so such programs are refused.
bool is_batch_file(std::string_view program);

}  // namespace airlock::sandbox::windows
