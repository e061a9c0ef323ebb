#include <doctest/doctest.h>

#include "sandbox/windows/run_folder_layout.h"

using airlock::sandbox::LaunchSpec;
using namespace airlock::sandbox::windows;

namespace {
const WindowsPath kRunFolder = *WindowsPath::parse("C:\\Users\\me\\AppData\\Local\\Temp\\airlock-run-7-1");

LaunchSpec snippet_spec() {
  LaunchSpec spec;
  spec.cwd = "D:\\work\\proj";
  spec.files = {{.path = "/airlock/snippet.py", .content = "print(1)\n"}};
  spec.steps = {{"cc", "-o", "/tmp/.airlock-build/program", "/airlock/snippet.c"}, {"/tmp/.airlock-build/program"}};
  spec.env = {{"HOME", "/tmp/home"}, {"PYTHONPYCACHEPREFIX", "/tmp/home/.cache/python"}, {"LANG", "C.UTF-8"}};
  return spec;
}
}  // namespace

TEST_CASE("windows run folder: snippets, build outputs and home become subfolders of the run's folder") {
  const RunFolderPlan plan = plan_run_folder(snippet_spec(), kRunFolder);
  REQUIRE(plan.folders.size() == 3);
  CHECK(plan.folders[0].str() == kRunFolder.str() + "\\files");
  CHECK(plan.folders[1].str() == kRunFolder.str() + "\\build");
  CHECK(plan.folders[2].str() == kRunFolder.str() + "\\home");
  REQUIRE(plan.files.size() == 1);
  CHECK(plan.files[0].path.str() == kRunFolder.str() + "\\files\\snippet.py");
  CHECK(plan.files[0].content == "print(1)\n");
  CHECK(plan.steps == std::vector<std::vector<std::string>>{
                          {"cc", "-o", kRunFolder.str() + "\\build\\program", kRunFolder.str() + "\\files\\snippet.c"},
                          {kRunFolder.str() + "\\build\\program"}});
  CHECK(plan.env == std::vector<std::pair<std::string, std::string>>{
                        {"HOME", kRunFolder.str() + "\\home"},
                        {"PYTHONPYCACHEPREFIX", kRunFolder.str() + "\\home\\.cache\\python"},
                        {"LANG", "C.UTF-8"}});
  CHECK(plan.cwd.str() == "D:\\work\\proj");
}

TEST_CASE("windows run folder: only whole sandbox folders are mapped, never a prefix of another name") {
  LaunchSpec spec = snippet_spec();
  spec.steps = {{"python", "/airlock2/x.py", "/tmp/homework", "-c", "/airlock"}};
  const RunFolderPlan plan = plan_run_folder(spec, kRunFolder);
  CHECK(plan.steps.front() ==
        std::vector<std::string>{"python", "/airlock2/x.py", "/tmp/homework", "-c", kRunFolder.str() + "\\files"});
}

TEST_CASE("windows run folder: what cannot be placed is refused") {
  LaunchSpec outside = snippet_spec();
  outside.files = {{.path = "/etc/passwd", .content = "x"}};
  CHECK_THROWS_AS(plan_run_folder(outside, kRunFolder), std::invalid_argument);
  LaunchSpec climbing = snippet_spec();
  climbing.files = {{.path = "/airlock/../x", .content = "x"}};
  CHECK_THROWS_AS(plan_run_folder(climbing, kRunFolder), std::invalid_argument);
  LaunchSpec relative_cwd = snippet_spec();
  relative_cwd.cwd = "proj";
  CHECK_THROWS_AS(plan_run_folder(relative_cwd, kRunFolder), std::invalid_argument);
}
