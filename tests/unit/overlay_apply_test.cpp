// Applying overlay layers made by real sandbox runs to their workspaces: content, modes, symlinks (never
// followed), folders, deletions, conflicts, and tricks with symlinks on the host side.

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "overlay_test_support.h"
#include "server/overlay/layer_apply.h"

namespace airlock::sandbox::testing {
namespace {

namespace fs = std::filesystem;
using Paths = std::vector<std::string>;

std::vector<std::string> all_paths(const server::overlay::Layer& layer) {
  std::vector<std::string> paths;
  for (const auto& change : layer.changes()) paths.push_back(change.path);
  return paths;
}

protocol::ApplyChangesResult apply_all(const OverlayRun& run) {
  REQUIRE(run.layer);
  auto result = server::overlay::apply_changes(*run.layer, all_paths(*run.layer));
  return result;
}

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  REQUIRE(::lstat(path.c_str(), &info) == 0);
  return info.st_mode;
}

std::vector<std::string> apply_leftovers(const fs::path& folder) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.path().filename().string().starts_with(".airlock-apply-")) found.push_back(entry.path().string());
  }
  return found;
}

TEST_CASE("sandbox: applying writes every change into the workspace with its mode") {
  TempWorkspace workspace;
  workspace.write("edit.txt", "old\n");
  workspace.write("remove.txt", "bye\n");
  workspace.make_dir("tree");
  workspace.write("tree/deep/x.txt", "x");
  workspace.write("run.sh", "echo hi\n");
  auto run = run_in_overlay(workspace,
                            "echo new >> edit.txt && rm remove.txt && rm -r tree && chmod 750 run.sh && "
                            "mkdir -p made/sub && echo m > made/sub/m.txt && chmod 711 made && printf '\\377\\000' > bin");
  const auto result = apply_all(run);
  CHECK(result.applied == Paths{"bin", "edit.txt", "made", "made/sub", "made/sub/m.txt", "remove.txt", "run.sh", "tree"});
  CHECK(result.conflicts.empty());
  CHECK(result.failed.empty());
  CHECK(workspace.read("edit.txt") == "old\nnew\n");
  CHECK_FALSE(workspace.exists("remove.txt"));
  CHECK_FALSE(workspace.exists("tree"));
  CHECK(workspace.read("made/sub/m.txt") == "m\n");
  CHECK(workspace.read("bin") == std::string("\377\0", 2));
  CHECK((mode_of(workspace.path() / "run.sh") & 07777) == 0750);
  CHECK((mode_of(workspace.path() / "made") & 07777) == 0711);
  CHECK(apply_leftovers(workspace.path()).empty());
}

TEST_CASE("sandbox: a symlink the run made is applied as a symlink and never followed") {
  TempWorkspace workspace;
  TempWorkspace outside;
  outside.write("target.txt", "outside\n");
  workspace.write("config", "real\n");
  const std::string target = (outside.path() / "target.txt").string();
  auto run = run_in_overlay(workspace, "ln -s " + target + " link && rm config && ln -s " + target + " config");
  const auto result = apply_all(run);
  CHECK(result.applied == Paths{"config", "link"});
  CHECK(fs::is_symlink(workspace.path() / "link"));
  CHECK(fs::read_symlink(workspace.path() / "link") == target);
  CHECK(fs::is_symlink(workspace.path() / "config"));
  CHECK(outside.read("target.txt") == "outside\n");
}

TEST_CASE("sandbox: a host folder swapped for a symlink after the run is never written through") {
  TempWorkspace workspace;
  TempWorkspace outside;
  workspace.write("sub/file.txt", "host\n");
  auto run = run_in_overlay(workspace, "echo run > sub/file.txt && echo new > sub/new.txt");
  fs::remove_all(workspace.path() / "sub");
  fs::create_directory_symlink(outside.path(), workspace.path() / "sub");
  const auto result = apply_all(run);
  CHECK(result.applied.empty());
  CHECK(result.conflicts.size() + result.failed.size() == 2);
  CHECK(fs::is_empty(outside.path()));
}

TEST_CASE("sandbox: folders and files swap types in place") {
  TempWorkspace workspace;
  workspace.write("was-file", "f");
  workspace.write("was-folder/inside.txt", "i");
  auto run = run_in_overlay(workspace, "rm was-file && mkdir was-file && echo in > was-file/in.txt && "
                                       "rm -r was-folder && echo now-file > was-folder");
  const auto result = apply_all(run);
  CHECK(result.applied == Paths{"was-file", "was-file/in.txt", "was-folder"});
  CHECK(workspace.read("was-file/in.txt") == "in\n");
  CHECK(workspace.read("was-folder") == "now-file\n");
  CHECK(apply_leftovers(workspace.path()).empty());
}

TEST_CASE("sandbox: a host file that changed after the run started is a conflict and stays as it is") {
  TempWorkspace workspace;
  workspace.write("shared.txt", "host\n");
  workspace.write("mine.txt", "host\n");
  workspace.write("dropped/keep.txt", "keep\n");
  auto run = run_in_overlay(workspace, "echo run > shared.txt && echo run > mine.txt && rm -r dropped && echo n > added.txt");
  workspace.write("shared.txt", "edited by the user\n");
  workspace.write("dropped/keep.txt", "edited by the user\n");
  workspace.write("added.txt", "made by the user\n");
  const auto result = apply_all(run);
  CHECK(result.applied == Paths{"mine.txt"});
  CHECK(result.conflicts == Paths{"added.txt", "dropped", "shared.txt"});
  CHECK(workspace.read("shared.txt") == "edited by the user\n");
  CHECK(workspace.read("dropped/keep.txt") == "edited by the user\n");
  CHECK(workspace.read("added.txt") == "made by the user\n");
  CHECK(workspace.read("mine.txt") == "run\n");
}

TEST_CASE("sandbox: a host file deleted after the run is a conflict") {
  TempWorkspace workspace;
  workspace.write("edit.txt", "host\n");
  auto run = run_in_overlay(workspace, "echo run > edit.txt");
  fs::remove(workspace.path() / "edit.txt");
  const auto result = apply_all(run);
  CHECK(result.conflicts == Paths{"edit.txt"});
  CHECK_FALSE(workspace.exists("edit.txt"));
}

TEST_CASE("sandbox: applying some paths applies the folders they need and leaves the rest") {
  TempWorkspace workspace;
  auto run = run_in_overlay(workspace, "mkdir -p a/b && echo 1 > a/b/one.txt && echo 2 > a/two.txt && echo 3 > three.txt");
  REQUIRE(run.layer);
  const auto result = server::overlay::apply_changes(*run.layer, {"a/b/one.txt"});
  CHECK(result.applied == Paths{"a", "a/b", "a/b/one.txt"});
  CHECK(workspace.read("a/b/one.txt") == "1\n");
  CHECK_FALSE(workspace.exists("a/two.txt"));
  CHECK_FALSE(workspace.exists("three.txt"));
}

TEST_CASE("sandbox: no setuid or setgid bit reaches the workspace") {
  TempWorkspace workspace;
  auto run = run_in_overlay(workspace, "echo x > tool && chmod 6755 tool && mkdir shared && chmod 2775 shared");
  const auto result = apply_all(run);
  CHECK(result.applied == Paths{"shared", "tool"});
  CHECK((mode_of(workspace.path() / "tool") & 07777) == 0755);
  CHECK((mode_of(workspace.path() / "shared") & 07777) == 0775);
}

TEST_CASE("sandbox: leftovers of an interrupted apply are removed by the next apply in their folder") {
  TempWorkspace workspace;
  workspace.make_dir("sub");
  // A pid that cannot be running: above the kernel's largest.
  std::ofstream(workspace.path() / "sub" / ".airlock-apply-99999999-1") << "half written";
  fs::create_directory(workspace.path() / ".airlock-apply-99999999-2");
  std::ofstream(workspace.path() / ".airlock-apply-99999999-2" / "x") << "x";
  auto run = run_in_overlay(workspace, "echo n > sub/new.txt");
  const auto result = apply_all(run);
  CHECK(result.applied == Paths{"sub/new.txt"});
  CHECK(apply_leftovers(workspace.path()).empty());
}

TEST_CASE("sandbox: what a root server applies belongs to the workspace's owner") {
  if (::geteuid() != 0) return;
  TempWorkspace workspace;
  workspace.write("edit.txt", "old\n");
  auto run = run_in_overlay(workspace, "mkdir d && echo n > d/new.txt && ln -s new.txt d/link && echo new > edit.txt");
  const auto result = apply_all(run);
  CHECK(result.applied == Paths{"d", "d/link", "d/new.txt", "edit.txt"});
  for (const char* path : {"d", "d/link", "d/new.txt", "edit.txt"}) {
    struct stat info {};
    REQUIRE(::lstat((workspace.path() / path).c_str(), &info) == 0);
    CHECK_MESSAGE(info.st_uid == kWorkspaceOwnerWhenRoot, path);
    CHECK_MESSAGE(info.st_gid == kWorkspaceGroupWhenRoot, path);
  }
}

}  // namespace
}  // namespace airlock::sandbox::testing
