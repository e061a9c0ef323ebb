// Overlay workspaces in the Linux sandbox and the changes read from their layers. Named "sandbox: ..." so they
// also run with the caller as an unprivileged user.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "overlay_test_support.h"
#include "sandbox/linux/launch_plan.h"
#include "sandbox/linux/linux_backend.h"
#include "server/overlay/layer_scan.h"

namespace airlock::sandbox::testing {
namespace {

namespace fs = std::filesystem;
using Changes = std::vector<std::string>;

TEST_CASE("sandbox: an overlay workspace is planned as an overlay on a layer of the disk budget, protected paths on top") {
  TempWorkspace workspace;
  auto spec = shell_spec(workspace, "true");
  spec.policy.workspace_mode = WorkspaceMode::overlay;
  spec.policy.limits.disk_bytes = 8 << 20;
  spec.policy.protected_paths = {".git", "config/./secrets"};
  const auto plan = linux_backend::make_launch_plan(spec);
  CHECK(plan.hands_over_layer);
  std::vector<std::string> after_overlay;
  bool overlaid = false;
  for (const auto& op : plan.root_ops) {
    if (op.kind == linux_backend::RootOpKind::mount_overlay) {
      overlaid = true;
      CHECK(op.target == workspace.path().string());
      CHECK(op.source == workspace.path().string());
      CHECK(op.data.find("size=8388608") != std::string::npos);
      CHECK(op.data.find("nr_inodes=") != std::string::npos);
    }
    if (overlaid && op.kind == linux_backend::RootOpKind::protect) after_overlay.push_back(op.data);
    CHECK_FALSE((op.kind == linux_backend::RootOpKind::bind && op.target == workspace.path().string()));
  }
  CHECK(after_overlay == std::vector<std::string>{".git", "config/secrets"});
  spec.policy.workspace_mode = WorkspaceMode::readonly;
  CHECK_FALSE(linux_backend::make_launch_plan(spec).hands_over_layer);
}

TEST_CASE("sandbox: a readonly workspace is planned as a read-only overlay view, a readwrite one as a bind") {
  TempWorkspace workspace;
  auto spec = shell_spec(workspace, "true");
  auto kinds_at_workspace = [&](WorkspaceMode mode) {
    spec.policy.workspace_mode = mode;
    std::vector<linux_backend::RootOpKind> kinds;
    for (const auto& op : linux_backend::make_launch_plan(spec).root_ops) {
      if (op.target == workspace.path().string() && op.kind != linux_backend::RootOpKind::make_dir) {
        kinds.push_back(op.kind);
      }
    }
    return kinds;
  };
  using Kinds = std::vector<linux_backend::RootOpKind>;
  CHECK(kinds_at_workspace(WorkspaceMode::readonly) == Kinds{linux_backend::RootOpKind::mount_readonly_view});
  CHECK(kinds_at_workspace(WorkspaceMode::readwrite).front() == linux_backend::RootOpKind::bind);
}

TEST_CASE("sandbox: a readonly workspace reads like the host's and refuses writes") {
  TempWorkspace workspace;
  workspace.write("kept.txt", "host\n");
  auto spec = shell_spec(workspace, "cat kept.txt && ls && if echo x > new.txt; then echo wrote; fi");
  spec.policy.workspace_mode = WorkspaceMode::readonly;
  const auto run = run_to_end(spec);
  CHECK(run.out == "host\nkept.txt\n");
  CHECK(run.err.find("Read-only file system") != std::string::npos);
  CHECK_FALSE(workspace.exists("new.txt"));
}

TEST_CASE("sandbox: overlay writes land in the run's layer, never in the workspace") {
  TempWorkspace workspace;
  workspace.write("kept.txt", "host\n");
  workspace.write("gone.txt", "host\n");
  auto run = run_in_overlay(workspace,
                            "echo run >> kept.txt && echo new > new.txt && rm gone.txt && mkdir dir && "
                            "cat kept.txt new.txt && test ! -e gone.txt");
  CHECK(run.output.out == "host\nrun\nnew\n");
  CHECK(run.result.status == protocol::RunStatus::ok);
  CHECK(workspace.read("kept.txt") == "host\n");
  CHECK(workspace.read("gone.txt") == "host\n");
  CHECK_FALSE(workspace.exists("new.txt"));
  CHECK_FALSE(workspace.exists("dir"));
  REQUIRE(run.layer);
  CHECK(describe_changes(run.result) == Changes{"added dir", "deleted gone.txt", "modified kept.txt", "added new.txt"});
}

TEST_CASE("sandbox: other workspace modes hand over no layer") {
  TempWorkspace workspace;
  for (auto mode : {WorkspaceMode::readonly, WorkspaceMode::readwrite}) {
    auto spec = shell_spec(workspace, "true");
    spec.policy.workspace_mode = mode;
    auto process = make_linux_backend()->start(spec);
    CHECK_FALSE(process->take_overlay_layer().valid());
    run_to_end(*process);
  }
}

TEST_CASE("sandbox: the layer outlives its sandbox and holds what the run wrote") {
  TempWorkspace workspace;
  auto spec = shell_spec(workspace, "printf data > made.txt");
  spec.policy.workspace_mode = WorkspaceMode::overlay;
  UniqueFd layer;
  {
    auto process = make_linux_backend()->start(spec);
    layer = process->take_overlay_layer();
    run_to_end(*process);
  }
  REQUIRE(layer.valid());
  UniqueFd file(::openat(layer.get(), "made.txt", O_RDONLY | O_CLOEXEC));
  REQUIRE(file.valid());
  char buffer[16] = {};
  CHECK(::read(file.get(), buffer, sizeof buffer) == 4);
  CHECK(std::string(buffer) == "data");
}

TEST_CASE("sandbox: overlay changes cover folders, symlinks, modes and deletions of whole folders") {
  TempWorkspace workspace;
  workspace.write("tree/a.txt", "a");
  workspace.write("tree/sub/b.txt", "b");
  workspace.write("script.sh", "echo hi\n");
  workspace.write("file-becomes-folder", "x");
  workspace.make_dir("folder-becomes-file");
  auto run = run_in_overlay(workspace,
                            "rm -r tree && chmod 755 script.sh && ln -s /etc/passwd outside-link && "
                            "mkdir -p new/deep && echo n > new/deep/n.txt && rm file-becomes-folder && "
                            "mkdir file-becomes-folder && rmdir folder-becomes-file && echo f > folder-becomes-file");
  REQUIRE(run.result.status == protocol::RunStatus::ok);
  CHECK(describe_changes(run.result) == Changes{"modified file-becomes-folder", "modified folder-becomes-file",
                                                "added new", "added new/deep", "added new/deep/n.txt",
                                                "added outside-link", "modified script.sh", "deleted tree"});
  const auto* link = run.layer->find("outside-link");
  REQUIRE(link);
  CHECK(link->type == server::overlay::EntryType::symlink);
  CHECK(run.layer->find("script.sh")->mode == 0755);
  CHECK(run.layer->find("tree")->type == server::overlay::EntryType::directory);
  CHECK(run.layer->find("file-becomes-folder")->type == server::overlay::EntryType::directory);
}

TEST_CASE("sandbox: entries the run touched without changing them are not changes") {
  TempWorkspace workspace;
  workspace.write("same.txt", "content\n");
  workspace.write("rewritten.txt", "content\n");
  workspace.make_dir("folder");
  auto run = run_in_overlay(workspace,
                            "touch same.txt && : >> same.txt && chmod 644 same.txt && "
                            "printf 'content\\n' > rewritten.txt && touch folder && ln -s x folder/link && rm folder/link");
  REQUIRE(run.result.status == protocol::RunStatus::ok);
  CHECK(run.result.changes.empty());
  CHECK_FALSE(run.layer);
}

TEST_CASE("sandbox: a folder the run replaced lists the host entries it drops") {
  TempWorkspace workspace;
  workspace.write("folder/old.txt", "old");
  workspace.write("folder/kept.txt", "kept");
  auto run = run_in_overlay(workspace, "rm -r folder && mkdir folder && echo kept > folder/kept.txt && echo n > folder/new.txt");
  REQUIRE(run.result.status == protocol::RunStatus::ok);
  CHECK(describe_changes(run.result) ==
        Changes{"modified folder/kept.txt", "added folder/new.txt", "deleted folder/old.txt"});
}

TEST_CASE("sandbox: protected paths stay read-only in an overlay, and a run cannot add one") {
  TempWorkspace workspace;
  workspace.write(".git/config", "[core]\n");
  auto run = run_in_overlay(workspace,
                            "if echo x >> .git/config; then echo wrote-config; fi; "
                            "if echo x > .git/hooks-new; then echo wrote-git; fi; "
                            "mkdir -p .vscode && echo '{}' > .vscode/tasks.json && echo ok > fine.txt");
  CHECK(run.output.out.find("wrote-config") == std::string::npos);
  CHECK(run.output.out.find("wrote-git") == std::string::npos);
  CHECK(run.output.err.find("Read-only file system") != std::string::npos);
  CHECK(describe_changes(run.result) == Changes{"added fine.txt"});
  REQUIRE(run.result.message);
  CHECK(run.result.message->find(".vscode: it is or holds a protected path") != std::string::npos);
  CHECK(workspace.read(".git/config") == "[core]\n");
}

TEST_CASE("sandbox: the layer is limited to the run's disk budget, and a run that fills it hit the disk limit") {
  TempWorkspace workspace;
  auto run = run_in_overlay(workspace, "head -c 3000000 /dev/zero > big.bin", 1 << 20);
  CHECK(run.output.err.find("No space left on device") != std::string::npos);
  CHECK(run.result.status == protocol::RunStatus::limit);
  CHECK(run.result.limit == "disk");
  REQUIRE(run.layer);
  struct stat info {};
  REQUIRE(::fstatat(run.layer->upper(), "big.bin", &info, AT_SYMLINK_NOFOLLOW) == 0);
  CHECK(info.st_size <= 1 << 20);
}

TEST_CASE("sandbox: names the run cannot carry over are left out with the reason") {
  TempWorkspace workspace;
  auto run = run_in_overlay(workspace,
                            "mkfifo pipe && printf x > \"$(printf 'bad\\377name')\" && touch .airlock-apply-1-1 && "
                            "echo ok > fine.txt");
  REQUIRE(run.result.status == protocol::RunStatus::ok);
  CHECK(describe_changes(run.result) == Changes{"added fine.txt"});
  REQUIRE(run.result.message);
  CHECK(run.result.message->find("pipe: fifos, sockets and device nodes are not carried over") != std::string::npos);
  CHECK(run.result.message->find("its name is not valid UTF-8") != std::string::npos);
  CHECK(run.result.message->find(".airlock-apply-1-1: names starting with") != std::string::npos);
}

TEST_CASE("sandbox: a file the run made unreadable is still reviewed with the mode it was given") {
  TempWorkspace workspace;
  auto run = run_in_overlay(workspace, "echo secret > locked.txt && chmod 000 locked.txt && mkdir shut && "
                                       "echo in > shut/in.txt && chmod 000 shut");
  REQUIRE(run.result.status == protocol::RunStatus::ok);
  CHECK(describe_changes(run.result) == Changes{"added locked.txt", "added shut", "added shut/in.txt"});
  CHECK(run.layer->find("locked.txt")->mode == 0);
  CHECK(run.layer->find("shut")->mode == 0);
}

TEST_CASE("overlay: a change touches a protected path when it is one, is inside one, or removes a folder holding one") {
  const std::vector<std::string> protected_paths = {".git", "config/secrets"};
  CHECK(server::overlay::touches_protected_path(".git", false, protected_paths));
  CHECK(server::overlay::touches_protected_path(".git/hooks/pre-commit", false, protected_paths));
  CHECK(server::overlay::touches_protected_path("config/secrets/key", false, protected_paths));
  CHECK(server::overlay::touches_protected_path("config", true, protected_paths));
  CHECK_FALSE(server::overlay::touches_protected_path("config", false, protected_paths));
  CHECK_FALSE(server::overlay::touches_protected_path("config/other", true, protected_paths));
  CHECK_FALSE(server::overlay::touches_protected_path(".gitignore", false, protected_paths));
  CHECK_FALSE(server::overlay::touches_protected_path(".github/workflow.yml", true, protected_paths));
}

}  // namespace
}  // namespace airlock::sandbox::testing
