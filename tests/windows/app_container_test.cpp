#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "run_output.h"
#include "sandbox/backend.h"
#include "sandbox/windows/app_container_profile.h"
#include "sandbox/windows/utf16.h"
#include "sandbox/windows/windows_backends.h"
#include "test_helpers.h"

using namespace airlock::sandbox;
using namespace airlock::sandbox::windows;
using namespace airlock::windows_tests;

TEST_CASE("windows appcontainer: where the profile API is missing, process isolation is unavailable, said clearly" *
          doctest::skip(!running_under_wine())) {
  // Wine's userenv.dll does not export CreateAppContainerProfile, like a Windows older than 8.
  CHECK_THROWS_WITH_AS(AppContainerProfile::create("airlock.test.missing"), doctest::Contains("AppContainer"),
                       SandboxUnavailable);
}

TEST_CASE("windows appcontainer: a profile is created with a SID and deleted with its owner" *
          doctest::skip(running_under_wine()) * doctest::description(kNeedsWindowsHost)) {
  const std::string name = "airlock.test." + std::to_string(::GetCurrentProcessId());
  {
    const AppContainerProfile profile = AppContainerProfile::create(name);
    REQUIRE(profile.sid() != nullptr);
    CHECK(::IsValidSid(profile.sid()));
  }
  // Deleted: creating it again succeeds as a new profile rather than taking over an old one.
  const AppContainerProfile again = AppContainerProfile::create(name);
  CHECK(::IsValidSid(again.sid()));
}

namespace {

// A workspace in the temporary folder with a file and a protected .git folder, removed afterwards.
class TestWorkspace {
 public:
  TestWorkspace() {
    wchar_t temp[MAX_PATH + 1];
    const DWORD length = ::GetTempPathW(MAX_PATH + 1, temp);
    root_ = std::filesystem::path(std::wstring(temp, length)) /
            (L"airlock-workspace-" + std::to_wstring(::GetCurrentProcessId()) + L"-" + std::to_wstring(++count_));
    std::filesystem::create_directories(root_ / ".git");
    std::ofstream(root_ / "hello.txt") << "hello from the workspace";
    std::ofstream(root_ / ".git" / "config") << "[core]";
  }
  ~TestWorkspace() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  const std::filesystem::path& root() const { return root_; }

 private:
  static inline int count_ = 0;
  std::filesystem::path root_;
};

// Runs a cmd.exe line (System32 is readable by every AppContainer) in the workspace under policy mode.
RunOutput run_in_app_container(const TestWorkspace& workspace, WorkspaceMode mode, const std::string& line) {
  LaunchSpec spec;
  spec.policy.workspace = workspace.root();
  spec.policy.workspace_mode = mode;
  spec.cwd = to_utf8(workspace.root().wstring());
  spec.steps = {{"C:\\Windows\\System32\\cmd.exe", "/d", "/c", line}};
  spec.env = {{"SystemRoot", "C:\\Windows"}};
  auto backend = make_app_container_backend();
  auto process = backend->start(spec);
  RunOutput output = exchange_stdio(*process, "");
  while (!process->poll()) REQUIRE(::WaitForSingleObject(process->wait_fd(), 20000) == WAIT_OBJECT_0);
  return output;
}

}  // namespace

TEST_CASE("windows appcontainer: a run reads its workspace and writes only where its policy lets it" *
          doctest::skip(running_under_wine()) * doctest::description(kNeedsWindowsHost)) {
  const TestWorkspace workspace;
  CHECK(run_in_app_container(workspace, WorkspaceMode::readonly, "type hello.txt").out ==
        "hello from the workspace");
  run_in_app_container(workspace, WorkspaceMode::readonly, "echo x> new.txt");
  CHECK_FALSE(std::filesystem::exists(workspace.root() / "new.txt"));

  run_in_app_container(workspace, WorkspaceMode::readwrite, "echo x> new.txt");
  CHECK(std::filesystem::exists(workspace.root() / "new.txt"));
  run_in_app_container(workspace, WorkspaceMode::readwrite, "echo x> .git\\config");
  std::ifstream config(workspace.root() / ".git" / "config");
  CHECK(std::string(std::istreambuf_iterator<char>(config), {}) == "[core]");
}

TEST_CASE("windows appcontainer: a run cannot read the user's files outside its folders" *
          doctest::skip(running_under_wine()) * doctest::description(kNeedsWindowsHost)) {
  const TestWorkspace workspace;
  const TestWorkspace outside;
  const std::string line = "type \"" + to_utf8((outside.root() / "hello.txt").wstring()) + "\"";
  CHECK(run_in_app_container(workspace, WorkspaceMode::readwrite, line).out.empty());
}

TEST_CASE("windows appcontainer: an interactive run talks through a pseudoconsole inside the AppContainer" *
          doctest::skip(running_under_wine()) * doctest::description(kNeedsWindowsHost)) {
  const TestWorkspace workspace;
  LaunchSpec spec;
  spec.policy.workspace = workspace.root();
  spec.cwd = to_utf8(workspace.root().wstring());
  spec.steps = {{"C:\\Windows\\System32\\cmd.exe", "/d", "/v:on", "/c", "set /p NAME=name? && echo hello !NAME!"}};
  spec.env = {{"SystemRoot", "C:\\Windows"}};
  spec.interactive = true;
  auto process = make_app_container_backend()->start(spec);
  Conversation user(*process);
  REQUIRE_MESSAGE(user.wait_for("name? ", std::chrono::seconds(20)), "shown: " << user.shown());
  REQUIRE(user.type("ada\n"));
  CHECK_MESSAGE(user.wait_for("hello ada", std::chrono::seconds(20)), "shown: " << user.shown());
  while (!process->poll()) REQUIRE(::WaitForSingleObject(process->wait_fd(), 20000) == WAIT_OBJECT_0);
  CHECK(user.wait_for_end(std::chrono::seconds(20)));
}
