#include <doctest/doctest.h>

#include <windows.h>

#include <shellapi.h>

#include <string>
#include <vector>

#include "sandbox/windows/command_line.h"
#include "sandbox/windows/unique_handle.h"
#include "sandbox/windows/utf16.h"

using namespace airlock::sandbox::windows;

TEST_CASE("windows command line: CommandLineToArgvW gives back exactly the arguments that were quoted") {
  const std::vector<std::string> argv{"C:\\Program Files\\app.exe", "", " ", "a\"b", "\\", "\\\\", "a\\\\\"b",
                                      "ends with \\", "\"", "\"\"", "\t", "x y\\\\ z\\"};
  int count = 0;
  const std::wstring line = to_utf16(build_command_line(argv));
  LPWSTR* parsed = ::CommandLineToArgvW(line.c_str(), &count);
  REQUIRE(parsed != nullptr);
  std::vector<std::string> round_trip;
  for (int i = 0; i < count; ++i) round_trip.push_back(to_utf8(parsed[i]));
  ::LocalFree(parsed);
  CHECK(round_trip == argv);
}
