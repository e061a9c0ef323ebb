#include <doctest/doctest.h>

#include <stdexcept>

#include "sandbox/windows/windows_path.h"

using airlock::sandbox::windows::host_path_from_guest;
using airlock::sandbox::windows::WindowsPath;

namespace {
WindowsPath path(const char* text) {
  const auto parsed = WindowsPath::parse(text);
  REQUIRE(parsed);
  return *parsed;
}
}  // namespace

TEST_CASE("windows path: drive paths in every spelling give one form") {
  for (const char* text : {"C:\\src\\app", "c:/src/app", "C:\\src\\\\app\\", "\\\\?\\C:\\src\\app"}) {
    CAPTURE(text);
    const WindowsPath p = path(text);
    CHECK(p.str() == "C:\\src\\app");
    CHECK(p.extended() == "\\\\?\\C:\\src\\app");
    CHECK(p.guest_path() == "/mnt/c/src/app");
    CHECK(p.file_uri() == "file:///C:/src/app");
  }
  CHECK(path("D:\\").str() == "D:\\");
  CHECK(path("D:\\").file_uri() == "file:///D:/");
}

TEST_CASE("windows path: UNC paths") {
  for (const char* text : {"\\\\server\\share\\proj", "//server/share/proj", "\\\\?\\UNC\\server\\share\\proj",
                           "\\\\?\\unc\\server\\share\\proj"}) {
    CAPTURE(text);
    const WindowsPath p = path(text);
    CHECK(p.is_unc());
    CHECK(p.str() == "\\\\server\\share\\proj");
    CHECK(p.extended() == "\\\\?\\UNC\\server\\share\\proj");
    CHECK(p.guest_path() == "/mnt/unc/server/share/proj");
    CHECK(p.file_uri() == "file://server/share/proj");
  }
}

TEST_CASE("windows path: what is refused") {
  for (const char* text : {"", "relative\\dir", "\\rooted", "C:", "C:relative", "1:\\x", "\\\\.\\pipe\\x",
                           "\\\\?\\Volume{0}\\x", "\\\\server", "\\\\server\\", "C:\\a\\..\\b", "C:\\a\\.\\b",
                           "C:\\file.txt:stream", "C:\\trailing.", "C:\\trailing ", "C:\\a<b", "C:\\a|b",
                           "C:\\a\x01", "//?/C:/x"}) {
    CAPTURE(text);
    CHECK_FALSE(WindowsPath::parse(text));
  }
}

TEST_CASE("windows path: file URIs, including VS Code's encoded drive colon") {
  CHECK(WindowsPath::from_file_uri("file:///c%3A/Users/me/My%20Project")->str() == "C:\\Users\\me\\My Project");
  CHECK(WindowsPath::from_file_uri("FILE:///C:/x")->str() == "C:\\x");
  CHECK(WindowsPath::from_file_uri("file://localhost/C:/x")->str() == "C:\\x");
  CHECK(WindowsPath::from_file_uri("file://server/share/a%20b")->str() == "\\\\server\\share\\a b");
  CHECK(path("C:\\My Project\\n%1#\xC3\xA9").file_uri() == "file:///C:/My%20Project/n%251%23%C3%A9");
  for (const char* uri : {"http://x/C:/y", "file:///relative", "file:////server/share", "file:///C:/a%2F..%2F..",
                          "file:///C:/a%5C..%5Cb", "file:///C:/a%00b", "file:///C:/a%zz", "file:///C:/a%4",
                          "file:///C:/a?q", "file:///C:/a#f", "file://./pipe/x"}) {
    CAPTURE(uri);
    CHECK_FALSE(WindowsPath::from_file_uri(uri));
  }
}

TEST_CASE("windows path: containment ignores case, never matches a sibling prefix") {
  CHECK(path("C:\\Src").contains(path("c:\\src\\app\\x.py")));
  CHECK(path("C:\\src").contains(path("C:\\src")));
  CHECK_FALSE(path("C:\\src").contains(path("C:\\src2")));
  CHECK_FALSE(path("C:\\src").contains(path("D:\\src")));
  CHECK_FALSE(path("\\\\s\\share\\a").contains(path("\\\\s\\other\\a")));
  CHECK(path("C:\\src").child(".git/hooks").str() == "C:\\src\\.git\\hooks");
  CHECK_THROWS_AS(path("C:\\src").child("../x"), std::invalid_argument);
  CHECK_THROWS_AS(path("C:\\src").child("\\x"), std::invalid_argument);
}

TEST_CASE("windows path: guest paths in output map back only inside the workspace") {
  const WindowsPath workspace = path("C:\\Users\\me\\proj");
  CHECK(host_path_from_guest("/mnt/c/Users/me/proj/src/main.py", workspace) == "C:\\Users\\me\\proj\\src\\main.py");
  CHECK(host_path_from_guest("/mnt/c/Users/me/proj", workspace) == "C:\\Users\\me\\proj");
  CHECK(host_path_from_guest("/mnt/c/Users/me/proj/", workspace) == "C:\\Users\\me\\proj");
  CHECK_FALSE(host_path_from_guest("/mnt/c/Users/me/proj2/x", workspace));
  CHECK_FALSE(host_path_from_guest("/mnt/c/Users/me/proj/../secret", workspace));
  CHECK_FALSE(host_path_from_guest("/mnt/c/Users/me/proj/a\\..\\..\\b", workspace));
  CHECK_FALSE(host_path_from_guest("/etc/passwd", workspace));
}
