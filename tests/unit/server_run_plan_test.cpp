#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "server/request_error.h"
#include "server/run_plan.h"

namespace fs = std::filesystem;
using namespace airlock;

namespace {

struct TempWorkspace {
  TempWorkspace() {
    char pattern[] = "/tmp/airlock-plan-XXXXXX";
    root = fs::canonical(::mkdtemp(pattern));
    fs::create_directories(root / "src");
    std::ofstream(root / "src/main.py") << "print(1)\n";
    std::ofstream(root / "notes.txt") << "x";
    fs::create_symlink("/etc/passwd", root / "escape.py");
  }
  ~TempWorkspace() { fs::remove_all(root); }
  fs::path root;
};

std::string error_of(const protocol::ExecuteParams& params) {
  try {
    server::plan_run(params, server::ServerConfig{});
  } catch (const server::RequestError& error) {
    return error.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("a snippet becomes a file under /airlock and the language's steps") {
  TempWorkspace ws;
  protocol::ExecuteParams params{.workspaceFolder = "file://" + ws.root.string(), .code = "print(2)", .language = "python"};
  params.args = {"x"};
  params.source = protocol::Source{.uri = "file:///doc.md", .line = 4};
  auto plan = server::plan_run(params, server::ServerConfig{});
  CHECK(plan.spec.policy.workspace == ws.root);
  CHECK(plan.program_path == "/airlock/snippet.py");
  REQUIRE(plan.spec.files.size() == 1);
  CHECK(plan.spec.files[0].content == "print(2)");
  CHECK(plan.spec.steps.back().back() == "x");
  CHECK(plan.spec.cwd == ws.root.string());
  CHECK(plan.source->line == 4);
  CHECK(plan.spec.policy.workspace_mode == sandbox::WorkspaceMode::overlay);
  CHECK(plan.spec.policy.network == sandbox::Network::none);
}

TEST_CASE("a workspace file runs in place with its language from the extension") {
  TempWorkspace ws;
  protocol::ExecuteParams params{.workspaceFolder = ws.root.string(), .file = "src/main.py"};
  params.cwd = "src";
  auto plan = server::plan_run(params, server::ServerConfig{});
  CHECK(plan.language == "python");
  CHECK(plan.program_path == (ws.root / "src/main.py").string());
  CHECK(plan.spec.cwd == (ws.root / "src").string());
  CHECK(plan.spec.files.empty());
}

TEST_CASE("paths that leave the workspace are refused, naming the field") {
  TempWorkspace ws;
  protocol::ExecuteParams escape_file{.workspaceFolder = ws.root.string(), .file = "escape.py"};
  CHECK(error_of(escape_file).find("params.file") == 0);
  protocol::ExecuteParams dotdot{.workspaceFolder = ws.root.string(), .file = "../x.py"};
  CHECK(error_of(dotdot).find("params.file") == 0);
  protocol::ExecuteParams cwd{.workspaceFolder = ws.root.string(), .command = std::vector<std::string>{"true"}};
  cwd.cwd = "src/../../..";
  CHECK(error_of(cwd).find("params.cwd") == 0);
  protocol::ExecuteParams unknown_ext{.workspaceFolder = ws.root.string(), .file = "notes.txt"};
  CHECK(error_of(unknown_ext).find("params.language") == 0);
  protocol::ExecuteParams relative_ws{.workspaceFolder = "relative/path", .command = std::vector<std::string>{"true"}};
  CHECK(error_of(relative_ws).find("params.workspaceFolder") == 0);
}

TEST_CASE("limits default to the server's and may not exceed its maximum") {
  TempWorkspace ws;
  server::ServerConfig config;
  protocol::ExecuteParams params{.workspaceFolder = ws.root.string(), .command = std::vector<std::string>{"true"}};
  params.limits = protocol::ExecuteLimits{.timeoutMs = 1500, .memoryMB = 64};
  auto plan = server::plan_run(params, config);
  CHECK(plan.spec.policy.limits.timeout_ms == 1500);
  CHECK(plan.spec.policy.limits.memory_bytes == 64ll << 20);
  CHECK(plan.spec.policy.limits.output_bytes == config.default_limits.output_bytes);
  params.limits = protocol::ExecuteLimits{.diskMB = 1 << 30};
  CHECK(error_of(params).find("params.limits.diskMB: at most") == 0);
  params.limits = protocol::ExecuteLimits{.vcpus = 2};
  CHECK(server::plan_run(params, config).spec.policy.limits.vcpus == 2);
  params.limits = protocol::ExecuteLimits{.vcpus = config.max_limits.vcpus + 1};
  CHECK(error_of(params).find("params.limits.vcpus: at most") == 0);
}

TEST_CASE("the environment is the minimal set plus the request's, which may override it") {
  TempWorkspace ws;
  protocol::ExecuteParams params{.workspaceFolder = ws.root.string(), .command = std::vector<std::string>{"env"}};
  params.env = {{"LANG", "de_DE.UTF-8"}, {"TOKEN", "t"}};
  auto plan = server::plan_run(params, server::ServerConfig{});
  std::map<std::string, std::string> env(plan.spec.env.begin(), plan.spec.env.end());
  CHECK(env.size() == 6);
  CHECK(env["LANG"] == "de_DE.UTF-8");
  CHECK(env["TOKEN"] == "t");
  CHECK(env["HOME"] == "/tmp/home");
  CHECK(env["PYTHONPYCACHEPREFIX"] == "/tmp/home/.cache/python");
}
