#include "sandbox/windows/command_line.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace airlock::sandbox::windows {
namespace {

bool needs_quotes(std::string_view argument) {
  return argument.empty() || argument.find_first_of(" \t\n\v\"") != std::string_view::npos;
}

void reject_nul(std::string_view argument) {
  if (argument.find('\0') != std::string_view::npos)
    throw std::invalid_argument("a Windows command line cannot carry a NUL character in an argument");
}

}  // namespace

std::string quote_argument(std::string_view argument) {
  reject_nul(argument);
  if (!needs_quotes(argument)) return std::string(argument);
  std::string quoted = "\"";
  std::size_t backslashes = 0;
  for (const char c : argument) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    // Backslashes are literal unless a double quote follows them; then each one must be doubled, and the quote
    // itself escaped.
    quoted.append(c == '"' ? backslashes * 2 + 1 : backslashes, '\\');
    quoted.push_back(c);
    backslashes = 0;
  }
  // The closing quote would turn trailing backslashes into escapes.
  quoted.append(backslashes * 2, '\\');
  quoted.push_back('"');
  return quoted;
}

std::string build_command_line(const std::vector<std::string>& argv) {
  if (argv.empty()) throw std::invalid_argument("a command line needs at least the program name");
  const std::string& program = argv.front();
  reject_nul(program);
  if (program.empty()) throw std::invalid_argument("the program name is empty");
  if (program.find('"') != std::string::npos)
    throw std::invalid_argument("the program name \"" + program + "\" contains a double quote, which Windows cannot pass");
  std::string line = program.find_first_of(" \t") == std::string::npos ? program : "\"" + program + "\"";
  for (auto it = argv.begin() + 1; it != argv.end(); ++it) {
    line.push_back(' ');
    line += quote_argument(*it);
  }
  return line;
}

bool is_batch_file(std::string_view program) {
  // Windows ignores trailing dots and spaces in file names: "x.bat." and "x.bat " also run as batch files.
  while (!program.empty() && (program.back() == '.' || program.back() == ' ')) program.remove_suffix(1);
  if (program.size() < 4) return false;
  std::string extension(program.substr(program.size() - 4));
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".bat" || extension == ".cmd";
}

}  // namespace airlock::sandbox::windows
