#include <doctest/doctest.h>

#include "server/uri.h"

using namespace airlock::server;

TEST_CASE("file URIs decode to paths and back") {
  CHECK(file_uri_to_path("file:///home/a%20b/x.py") == "/home/a b/x.py");
  CHECK(file_uri_to_path("FILE:///x") == "/x");
  CHECK(file_uri_to_path("file://localhost/etc") == "/etc");
  CHECK(file_uri_to_path("file:///caf%C3%A9?query#frag") == "/café");
  CHECK_FALSE(file_uri_to_path("https://example.com/x"));
  CHECK_FALSE(file_uri_to_path("file://server/share"));
  CHECK_FALSE(file_uri_to_path("file:///bad%2"));
  CHECK_FALSE(file_uri_to_path("file:///nul%00byte"));
  CHECK(path_to_file_uri("/home/a b/café #1.py") == "file:///home/a%20b/caf%C3%A9%20%231.py");
  CHECK(file_uri_to_path(path_to_file_uri("/x/ü ?%")) == "/x/ü ?%");
}
