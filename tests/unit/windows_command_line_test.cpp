#include <doctest/doctest.h>

#include <stdexcept>

#include "sandbox/windows/command_line.h"

using airlock::sandbox::windows::build_command_line;
using airlock::sandbox::windows::is_batch_file;
using airlock::sandbox::windows::quote_argument;

TEST_CASE("windows command line: plain arguments pass unquoted, others are quoted") {
  CHECK(quote_argument("plain") == "plain");
  CHECK(quote_argument("C:\\dir\\file.py") == "C:\\dir\\file.py");
  CHECK(quote_argument("") == "\"\"");
  CHECK(quote_argument("two words") == "\"two words\"");
  CHECK(quote_argument("tab\there") == "\"tab\there\"");
  CHECK(quote_argument("line\nbreak") == "\"line\nbreak\"");
}

TEST_CASE("windows command line: backslashes are doubled only before a quote") {
  // The cases of Microsoft's "Parsing C++ command-line arguments" table, inverted.
  CHECK(quote_argument("a\"b") == "\"a\\\"b\"");
  CHECK(quote_argument("a\\\"b") == "\"a\\\\\\\"b\"");
  CHECK(quote_argument("a\\\\b c") == "\"a\\\\b c\"");
  CHECK(quote_argument("dir with space\\") == "\"dir with space\\\\\"");
  CHECK(quote_argument("\\\\server\\share\\") == "\\\\server\\share\\");
  CHECK(quote_argument("ends\\\\ x\\\\") == "\"ends\\\\ x\\\\\\\\\"");
}

TEST_CASE("windows command line: the program name follows its own rules") {
  CHECK(build_command_line({"python.exe", "-c", "print('hi there')"}) == "python.exe -c \"print('hi there')\"");
  CHECK(build_command_line({"C:\\Program Files\\Python\\python.exe", "x"}) ==
        "\"C:\\Program Files\\Python\\python.exe\" x");
  // No escapes exist in argv[0]: a trailing backslash stays as it is inside the quotes.
  CHECK(build_command_line({"C:\\a b\\"}) == "\"C:\\a b\\\"");
  CHECK(build_command_line({"prog", ""}) == "prog \"\"");
  CHECK_THROWS_AS(build_command_line({}), std::invalid_argument);
  CHECK_THROWS_AS(build_command_line({""}), std::invalid_argument);
  CHECK_THROWS_AS(build_command_line({"a\"b.exe"}), std::invalid_argument);
  CHECK_THROWS_AS(build_command_line({"prog", std::string("a\0b", 3)}), std::invalid_argument);
}

TEST_CASE("windows command line: batch files are recognised, also with the names Windows trims") {
  CHECK(is_batch_file("run.bat"));
  CHECK(is_batch_file("C:\\x\\RUN.CMD"));
  CHECK(is_batch_file("run.bat."));
  CHECK(is_batch_file("run.cmd . "));
  CHECK_FALSE(is_batch_file("run.exe"));
  CHECK_FALSE(is_batch_file("batch"));
  CHECK_FALSE(is_batch_file(".ba"));
}
