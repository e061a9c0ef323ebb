#include <doctest/doctest.h>

#include "server/output_capture.h"

using airlock::server::OutputCapture;

TEST_CASE("output capture keeps everything while it fits") {
  OutputCapture capture(10, 10);
  capture.append("hello ");
  capture.append("world, again");
  CHECK(capture.text() == "hello world, again");
}

TEST_CASE("output capture keeps the head and the last lines, bounded") {
  OutputCapture capture(8, 16);
  capture.append("HEADHEAD");
  for (int i = 0; i < 1000; ++i) capture.append("middle line\n");
  capture.append("Traceback\nError: x\n");
  std::string text = capture.text();
  CHECK(text.starts_with("HEADHEAD\n[... output elided ...]\n"));
  CHECK(text.ends_with("Error: x\n"));
  CHECK(text.size() < 8 + 40 + 16);
}
