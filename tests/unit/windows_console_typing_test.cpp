#include <doctest/doctest.h>

#include "sandbox/windows/console_typing.h"

using airlock::sandbox::windows::ConsoleTyping;

TEST_CASE("windows console typing: every line end of the input is one Enter") {
  ConsoleTyping typing;
  CHECK(typing.keys_for("ada\nbob\r\ncy\rdee") == "ada\rbob\rcy\rdee");
}

TEST_CASE("windows console typing: a CRLF split between two pieces of input is still one Enter") {
  ConsoleTyping typing;
  CHECK(typing.keys_for("ada\r") == "ada\r");
  CHECK(typing.keys_for("\nbob\n") == "bob\r");
  CHECK(typing.keys_for("\n") == "\r");  // a blank line is an Enter of its own
}

TEST_CASE("windows console typing: end of input is Ctrl+Z and Enter at the start of a line") {
  ConsoleTyping finished_line;
  finished_line.keys_for("ada\n");
  CHECK(finished_line.end_of_input() == "\x1a\r");

  ConsoleTyping unfinished_line;
  unfinished_line.keys_for("ada");
  CHECK(unfinished_line.end_of_input() == "\r\x1a\r");

  ConsoleTyping nothing_typed;
  CHECK(nothing_typed.end_of_input() == "\x1a\r");
}
