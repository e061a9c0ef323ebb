#include <doctest/doctest.h>

#include <string>

#include "sandbox/windows/console_tail.h"

using airlock::sandbox::windows::ConsoleTail;

TEST_CASE("windows console tail: keeps what the guest wrote, as text") {
  ConsoleTail tail(1024);
  CHECK(tail.text().empty());
  tail.append("[    0.512] Kernel panic - not syncing: VFS: Unable to mount root fs\r\n");
  tail.append("---[ end Kernel panic");
  tail.append(" ]---\r\n\r\n");
  CHECK(tail.text() == "[    0.512] Kernel panic - not syncing: VFS: Unable to mount root fs\n---[ end Kernel panic ]---");
}

TEST_CASE("windows console tail: only the last bytes within the bound, from a whole line on") {
  ConsoleTail tail(32);
  for (int i = 0; i < 100; ++i) tail.append("line " + std::to_string(i) + "\n");
  // The 32 bytes kept start at "line 96": whether a kept first line is whole is not known, so it is left out.
  CHECK(tail.text() == "line 97\nline 98\nline 99");

  ConsoleTail one_long_line(8);
  one_long_line.append("0123456789abcdef");
  CHECK(one_long_line.text() == "89abcdef");  // no newline to cut at: the bytes as they are
}

TEST_CASE("windows console tail: control characters and broken UTF-8 never reach the message") {
  ConsoleTail tail(1024);
  tail.append("a\x1b[0mb\x07\tc\x7f\n");
  tail.append("caf\xC3\xA9 \xFF\xC3 \xED\xA0\x80 \xF0\x9F\x98\x80");
  CHECK(tail.text() == "a[0mb\tc\ncaf\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xF0\x9F\x98\x80");
}
