#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "server/diagnostics/workspace_file.h"

using airlock::server::diagnostics::read_workspace_file;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system's temporary folder, removed with everything in it.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (fs::temp_directory_path() / "airlock-diagnostics-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
    path_ = pattern;
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_file(const fs::path& path, const std::string& content) { std::ofstream(path, std::ios::binary) << content; }

}  // namespace

TEST_CASE("workspace files: read beneath the folder only, never through a way out of it") {
  TemporaryDirectory root;
  const fs::path workspace = root.path() / "workspace";
  fs::create_directories(workspace / "src");
  write_file(workspace / "src" / "main.py", "print(1)\n");
  write_file(root.path() / "secret.txt", "outside\n");
  fs::create_symlink("main.py", workspace / "src" / "inner_link.py");
  fs::create_symlink(root.path() / "secret.txt", workspace / "absolute_link.txt");
  fs::create_symlink("../secret.txt", workspace / "relative_link.txt");
  REQUIRE(::mkfifo((workspace / "fifo").c_str(), 0600) == 0);
  const std::string folder = workspace.string();

  CHECK(read_workspace_file(folder, "src/main.py") == "print(1)\n");
  CHECK(read_workspace_file(folder, "src/inner_link.py") == "print(1)\n");
  CHECK_FALSE(read_workspace_file(folder, "absolute_link.txt"));
  CHECK_FALSE(read_workspace_file(folder, "relative_link.txt"));
  CHECK_FALSE(read_workspace_file(folder, "../secret.txt"));
  CHECK_FALSE(read_workspace_file(folder, (root.path() / "secret.txt").string()));
  CHECK_FALSE(read_workspace_file(folder, "fifo"));
  CHECK_FALSE(read_workspace_file(folder, "src"));
  CHECK_FALSE(read_workspace_file(folder, "src/missing.py"));
  CHECK_FALSE(read_workspace_file(folder, ""));
  CHECK_FALSE(read_workspace_file((root.path() / "no-such-folder").string(), "src/main.py"));
}
