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

TEST_CASE("file URIs of a Windows host map to Windows paths and back") {
  CHECK(file_uri_to_path("file:///C:/Users/me/My%20Project", PathStyle::windows) == "C:\\Users\\me\\My Project");
  // VS Code's own form: a lower-case drive letter with its colon escaped.
  CHECK(file_uri_to_path("file:///c%3A/src/app/main.py", PathStyle::windows) == "C:\\src\\app\\main.py");
  CHECK(file_uri_to_path("file://localhost/D:/x", PathStyle::windows) == "D:\\x");
  CHECK(file_uri_to_path("file://server/share/a%20b", PathStyle::windows) == "\\\\server\\share\\a b");
  CHECK_FALSE(file_uri_to_path("file:///home/me/x.py", PathStyle::windows));        // no drive: not a Windows path
  CHECK_FALSE(file_uri_to_path("file:///C:/a/../../x", PathStyle::windows));         // climbing out is refused
  CHECK_FALSE(file_uri_to_path("file:////server/share/x", PathStyle::windows));      // UNC smuggled in as a path
  CHECK_FALSE(file_uri_to_path("https://example.com/C:/x", PathStyle::windows));

  CHECK(path_to_file_uri("C:\\My Project\\caf\xC3\xA9 #1.py", PathStyle::windows) ==
        "file:///C:/My%20Project/caf%C3%A9%20%231.py");
  CHECK(path_to_file_uri("\\\\server\\share\\a", PathStyle::windows) == "file://server/share/a");
  CHECK(file_uri_to_path(path_to_file_uri("C:\\x\\\xC3\xBC %#", PathStyle::windows), PathStyle::windows) ==
        "C:\\x\\\xC3\xBC %#");
  // A sandbox-side name that is no Windows path keeps the plain encoding.
  CHECK(path_to_file_uri("/airlock/snippet.py", PathStyle::windows) == "file:///airlock/snippet.py");
}
