// Turning a LaunchSpec into the plan the sandbox's init walks: validation and the PATH lookup, done in the
// server before anything is created.

#include "sandbox/linux/launch_plan.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>

namespace airlock::sandbox::linux_backend {
namespace {

LaunchSpec minimal_spec() {
  LaunchSpec spec;
  spec.policy.workspace = "/tmp";
  spec.cwd = "/tmp";
  spec.steps = {{"python3", "-c", "print(1)"}};
  spec.env = {{"PATH", "/usr/local/bin::/usr/bin"}};
  return spec;
}

bool has_op(const LaunchPlan& plan, RootOpKind kind, const std::string& target) {
  return std::any_of(plan.root_ops.begin(), plan.root_ops.end(),
                     [&](const RootOp& op) { return op.kind == kind && op.target == target; });
}

TEST_CASE("launch plan: a bare program name is looked up in the spec's PATH, an empty entry meaning .") {
  const auto plan = make_launch_plan(minimal_spec());
  REQUIRE(plan.steps.size() == 1);
  CHECK(plan.steps[0].candidates == std::vector<std::string>{"/usr/local/bin/python3", "./python3", "/usr/bin/python3"});
  CHECK(plan.search_path == "/usr/local/bin::/usr/bin");
  REQUIRE(plan.steps[0].argv_pointers.size() == 4);
  CHECK(std::string(plan.steps[0].argv_pointers[2]) == "print(1)");
  CHECK(plan.steps[0].argv_pointers[3] == nullptr);
}

TEST_CASE("launch plan: a program with a slash is used as given; no PATH means glibc's default") {
  auto spec = minimal_spec();
  spec.steps = {{"./run.sh"}, {"true"}};
  spec.env = {{"HOME", "/tmp/home"}};
  const auto plan = make_launch_plan(spec);
  CHECK(plan.steps[0].candidates == std::vector<std::string>{"./run.sh"});
  CHECK(plan.steps[1].candidates == std::vector<std::string>{"/bin/true", "/usr/bin/true"});
  CHECK(plan.env == std::vector<std::string>{"HOME=/tmp/home"});
  CHECK(plan.env_pointers.back() == nullptr);
}

TEST_CASE("launch plan: malformed specs are rejected before anything is created") {
  auto expect_rejected = [](LaunchSpec spec) { CHECK_THROWS_AS(make_launch_plan(spec), std::invalid_argument); };
  auto spec = minimal_spec();
  spec.cwd = "relative";
  expect_rejected(spec);
  spec = minimal_spec();
  spec.steps = {{}};
  expect_rejected(spec);
  spec = minimal_spec();
  spec.steps = {{"a", std::string("b\0c", 3)}};
  expect_rejected(spec);
  spec = minimal_spec();
  spec.env = {{"A=B", "c"}};
  expect_rejected(spec);
  spec = minimal_spec();
  spec.env = {{"A", "1"}, {"A", "2"}};
  expect_rejected(spec);
  spec = minimal_spec();
  spec.policy.workspace = "/tmp/../etc";
  expect_rejected(spec);
  spec = minimal_spec();
  spec.policy.workspace = "/";
  expect_rejected(spec);
  spec = minimal_spec();
  spec.files = {{.path = "/etc/passwd", .content = "x"}};
  expect_rejected(spec);
  spec = minimal_spec();
  spec.files = {{.path = "/airlock/../etc/passwd", .content = "x"}};
  expect_rejected(spec);
  spec = minimal_spec();
  spec.policy.workspace_mode = WorkspaceMode::readwrite;
  spec.policy.protected_paths = {"../outside"};
  expect_rejected(spec);
  spec.policy.protected_paths = {"/abs"};
  expect_rejected(spec);
}

TEST_CASE("launch plan: the root has the workspace, the files, /tmp, /proc and /dev, and ends read-only") {
  auto spec = minimal_spec();
  spec.policy.workspace = "/usr/share";
  spec.cwd = "/usr/share";
  spec.files = {{.path = "/airlock/main.py", .content = "print(1)\n", .mode = 04755}};
  const auto plan = make_launch_plan(spec);
  CHECK(has_op(plan, RootOpKind::bind, "/usr"));
  CHECK(has_op(plan, RootOpKind::mount_readonly_view, "/usr/share"));
  CHECK(has_op(plan, RootOpKind::write_file, "/etc/passwd"));
  CHECK(has_op(plan, RootOpKind::mount_tmpfs, "/tmp"));
  CHECK(has_op(plan, RootOpKind::mount_proc, "/proc"));
  CHECK(has_op(plan, RootOpKind::bind, "/dev/null"));
  CHECK_FALSE(has_op(plan, RootOpKind::bind, "/etc/shadow"));
  CHECK_FALSE(has_op(plan, RootOpKind::protect, "/usr/share"));
  const auto file = std::find_if(plan.root_ops.begin(), plan.root_ops.end(),
                                 [](const RootOp& op) { return op.target == "/airlock/main.py"; });
  REQUIRE(file != plan.root_ops.end());
  CHECK(file->mode == 0755);
  CHECK(plan.root_ops.back().kind == RootOpKind::make_readonly);
  CHECK(plan.root_ops.back().target == "/");
}

TEST_CASE("launch plan: a readwrite workspace gets its protected paths") {
  auto spec = minimal_spec();
  spec.policy.workspace_mode = WorkspaceMode::readwrite;
  spec.policy.protected_paths = {".git", "config/./secrets"};
  const auto plan = make_launch_plan(spec);
  std::vector<std::string> protected_paths;
  for (const auto& op : plan.root_ops) {
    if (op.kind == RootOpKind::protect) protected_paths.push_back(op.data);
  }
  CHECK(protected_paths == std::vector<std::string>{".git", "config/secrets"});
}

}  // namespace
}  // namespace airlock::sandbox::linux_backend
