#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sandbox/windows/run_folder.h"
#include "sandbox/windows/utf16.h"

using namespace airlock::sandbox;
using namespace airlock::sandbox::windows;

namespace {

std::filesystem::path native(const WindowsPath& path) { return std::filesystem::path(to_utf16(path.str())); }

std::string read(const WindowsPath& path) {
  std::ifstream file(native(path), std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("windows run folder: a fresh folder per run holds the snippet, and goes away with its owner") {
  LaunchSpec spec;
  spec.cwd = "C:\\";
  spec.files = {{.path = "/airlock/snippet.py", .content = std::string("print('caf\xC3\xA9')\r\n\0end", 21)}};
  WindowsPath kept = *WindowsPath::parse("C:\\");
  {
    const RunFolder folder = RunFolder::create();
    const RunFolder other = RunFolder::create();
    CHECK(folder.path().str() != other.path().str());
    const RunFolderPlan plan = plan_run_folder(spec, folder.path());
    folder.fill(plan);
    CHECK(read(plan.files.front().path) == spec.files.front().content);
    CHECK(std::filesystem::is_directory(native(folder.path().child("home"))));
    CHECK(std::filesystem::is_directory(native(folder.path().child("build"))));
    // Filling twice would overwrite a file someone else put there; it fails instead.
    CHECK_THROWS(folder.fill(plan));
    kept = folder.path();
  }
  CHECK_FALSE(std::filesystem::exists(native(kept)));
}
