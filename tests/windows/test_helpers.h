#pragma once

// Programs the tests launch (this executable with --helper), and what the tests need to know about the host.

#include <windows.h>

#include <string>
#include <vector>

#include "sandbox/windows/job_limits.h"

namespace airlock::windows_tests {

// Wine exports wine_get_version from ntdll; Windows does not.
bool running_under_wine();
// Why a test is skipped under Wine; doctest prints it with the skipped test.
inline constexpr const char* kNeedsWindowsHost = "needs a real Windows host: Wine does not enforce it";

// The run's job limits for the tests (8 processes). Wine refuses CPU rate control (error 87) where Windows
// enforces it, so under Wine only that one setting is left out; a Windows-host test checks it.
sandbox::windows::JobLimits test_job_limits();

// argv for this executable running helper name with args.
std::vector<std::string> helper_argv(const std::string& name, const std::vector<std::string>& args = {});

// helpers: print-args (each argument NUL-terminated), cat (stdin to stdout), env NAME, cwd,
// spawn-and-sleep (starts "sleep" as a child, prints its pid and a newline, sleeps), sleep, exit CODE,
// prompt (says whether its stdin and stdout are a console, writes a line to stderr, asks "name? ", answers
// "hello NAME", then counts the lines until the end of input), env-names (its environment's names in block order,
// one a line).
int run_helper(int argc, char** argv);

// Whether the process with this id has ended (or never existed), waiting up to timeout_ms.
bool process_ended(DWORD pid, DWORD timeout_ms);

}  // namespace airlock::windows_tests
