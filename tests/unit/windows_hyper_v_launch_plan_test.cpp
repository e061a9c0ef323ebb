// The Hyper-V run's launch request against its utility VM's document: every Plan9 share the VM has is mounted by
// the guest agent, under its own name, at the guest path of its host folder, and no more writable than shared.

#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "sandbox/windows/hyper_v_launch_plan.h"

using airlock::sandbox::LaunchSpec;
using airlock::sandbox::WorkspaceMode;
using namespace airlock::sandbox::windows;
namespace vm = airlock::sandbox::vm;

namespace {

using std::chrono::system_clock;
constexpr std::uint32_t kPlan9ReadOnly = 0x1;
const UtilityVmHost kHost{.processors = 4, .user_sid = "S-1-5-21-1-2-3-1001"};

GuestImage image() {
  return {*WindowsPath::parse("C:\\airlock\\vm\\vmlinuz"), *WindowsPath::parse("C:\\airlock\\vm\\initramfs.img")};
}

LaunchSpec spec(WorkspaceMode mode) {
  LaunchSpec spec;
  spec.policy.workspace = "C:\\Users\\me\\My Project";
  spec.policy.workspace_mode = mode;
  spec.policy.protected_paths = {".git", ".vscode", ".idea"};
  spec.policy.limits.memory_bytes = 256ll << 20;
  spec.steps = {{"python3", "-u", "/airlock/snippet.py"}};
  spec.files = {{.path = "/airlock/snippet.py", .content = "print(1)\n", .mode = 0644}};
  spec.cwd = "C:\\Users\\me\\My Project";
  spec.env = {{"PATH", "/usr/bin"}};
  return spec;
}

// The workspace first, then the protected folders' shares, as the agent mounts them.
std::vector<vm::GuestShare> mounted_shares(const vm::LaunchRequest& request) {
  std::vector<vm::GuestShare> shares{request.workspace};
  shares.insert(shares.end(), request.protected_shares.begin(), request.protected_shares.end());
  return shares;
}

void check_every_share_is_mounted(const UtilityVmPlan& plan, const vm::LaunchRequest& request) {
  const auto& document_shares = plan.document["VirtualMachine"]["Devices"]["Plan9"]["Shares"];
  const std::vector<vm::GuestShare> mounted = mounted_shares(request);
  REQUIRE(mounted.size() == document_shares.size());
  for (std::size_t i = 0; i < mounted.size(); ++i) {
    const auto& share = document_shares[i];
    CAPTURE(share.dump());
    CHECK(mounted[i].tag == share["Name"].get<std::string>());
    CHECK(mounted[i].tag == share["AccessName"].get<std::string>());
    CHECK(mounted[i].path == WindowsPath::parse(share["Path"].get<std::string>())->guest_path());
    CHECK(mounted[i].writable == ((share["Flags"].get<std::uint32_t>() & kPlan9ReadOnly) == 0));
  }
}

}  // namespace

TEST_CASE("windows hyper-v launch plan: every Plan9 share of the VM is mounted with its name, place and writability") {
  for (const WorkspaceMode mode : {WorkspaceMode::readonly, WorkspaceMode::readwrite}) {
    for (const std::vector<std::string>& existing : {std::vector<std::string>{}, std::vector<std::string>{".git", ".vscode"}}) {
      CAPTURE(static_cast<int>(mode));
      CAPTURE(existing.size());
      const LaunchSpec run = spec(mode);
      const UtilityVmPlan plan = plan_utility_vm(run.policy, image(), existing, kHost);
      const vm::LaunchRequest request = plan_hyper_v_launch(run, plan, system_clock::now());
      check_every_share_is_mounted(plan, request);
      // Through the codec too: what the agent decodes is what was checked.
      const auto decoded = vm::decode_launch(vm::encode_launch(request));
      REQUIRE(decoded);
      check_every_share_is_mounted(plan, *decoded);
    }
  }
}

TEST_CASE("windows hyper-v launch plan: a read-write workspace's protected folders are read-only shares over their place") {
  const LaunchSpec run = spec(WorkspaceMode::readwrite);
  const UtilityVmPlan plan = plan_utility_vm(run.policy, image(), {".git", ".vscode"}, kHost);
  const auto request = plan_hyper_v_launch(run, plan, system_clock::now());
  CHECK(request.workspace == vm::GuestShare{"workspace", "/mnt/c/Users/me/My Project", true});
  CHECK(request.protected_shares == std::vector<vm::GuestShare>{{"protected0", "/mnt/c/Users/me/My Project/.git", false},
                                                                {"protected1", "/mnt/c/Users/me/My Project/.vscode", false}});
  CHECK(request.protected_paths == run.policy.protected_paths);

  const LaunchSpec readonly = spec(WorkspaceMode::readonly);
  const UtilityVmPlan readonly_plan = plan_utility_vm(readonly.policy, image(), {".git"}, kHost);
  const auto whole = plan_hyper_v_launch(readonly, readonly_plan, system_clock::now());
  CHECK(whole.workspace == vm::GuestShare{"workspace", "/mnt/c/Users/me/My Project", false});
  CHECK(whole.protected_shares.empty());  // read-only as a whole
}

TEST_CASE("windows hyper-v launch plan: the workspace share is the workspace folder itself, not a staging folder") {
  const LaunchSpec run = spec(WorkspaceMode::readonly);
  const auto request = plan_hyper_v_launch(run, plan_utility_vm(run.policy, image(), {}, kHost),
                                           system_clock::time_point(std::chrono::nanoseconds(1'700'000'000'123'456'789)));
  CHECK(request.workspace_layout == vm::WorkspaceShareLayout::workspace_folder);
  CHECK(request.workspace_mode == WorkspaceMode::readonly);
  CHECK(request.realtime_ns == 1'700'000'000'123'456'789);  // the guest's clock, to the nanosecond
  CHECK(request.steps == run.steps);
  CHECK(request.cwd == "/mnt/c/Users/me/My Project");
  CHECK(request.env == run.env);
  CHECK(request.limits.memory_bytes == run.policy.limits.memory_bytes);
  REQUIRE(!request.entries.empty());
  CHECK(request.entries.back() == vm::GuestEntry{.kind = vm::GuestEntry::Kind::file, .path = "/airlock/snippet.py",
                                             .content = "print(1)\n", .mode = 0644});
}

TEST_CASE("windows hyper-v launch plan: the working folder and arguments naming workspace paths as the host does are "
          "given as the guest names them") {
  LaunchSpec run = spec(WorkspaceMode::readonly);
  run.cwd = "C:\\Users\\me\\My Project\\src";
  run.steps = {{"python3", "-u", "c:/users/ME/my project/src/main.py", "--out", "C:\\Users\\me\\My Project",
                "C:\\Windows\\win.ini", "C:\\Users\\me\\My Projects\\x", "plain", "/airlock/snippet.py"}};
  const auto request = plan_hyper_v_launch(run, plan_utility_vm(run.policy, image(), {}, kHost), system_clock::now());
  CHECK(request.cwd == "/mnt/c/Users/me/My Project/src");
  CHECK(request.steps == std::vector<std::vector<std::string>>{
                             {"python3", "-u", "/mnt/c/Users/me/My Project/src/main.py", "--out",
                              "/mnt/c/Users/me/My Project", "C:\\Windows\\win.ini",
                              "C:\\Users\\me\\My Projects\\x", "plain", "/airlock/snippet.py"}});
}

TEST_CASE("windows hyper-v launch plan: the guest's /etc names its sandbox user, nobody, and localhost, as a Windows "
          "host has no /etc to share") {
  const LaunchSpec run = spec(WorkspaceMode::readonly);
  const auto request = plan_hyper_v_launch(run, plan_utility_vm(run.policy, image(), {}, kHost), system_clock::now());
  CHECK(request.uid == 65534);
  CHECK(request.gid == 65534);
  const auto content_of = [&](const std::string& path) -> std::string {
    for (const vm::GuestEntry& entry : request.entries)
      if (entry.path == path && entry.kind == vm::GuestEntry::Kind::file) return entry.content;
    FAIL("the request creates no file " << path);
    return {};
  };
  CHECK(content_of("/etc/passwd") == "nobody:x:65534:65534:nobody:/tmp/home:/bin/sh\n");
  CHECK(content_of("/etc/group") == "nogroup:x:65534:\n");
  CHECK(content_of("/etc/hosts").starts_with("127.0.0.1\tlocalhost airlock\n"));
}

TEST_CASE("windows hyper-v launch plan: the agent is told the label of the system disk the VM has attached") {
  const LaunchSpec run = spec(WorkspaceMode::readonly);
  GuestImage with_disk = image();
  with_disk.system_disk = WindowsPath::parse("C:\\airlock\\vm\\system.vhd");
  const UtilityVmPlan plan = plan_utility_vm(run.policy, with_disk, {}, kHost);
  REQUIRE(plan.document["VirtualMachine"]["Devices"].contains("Scsi"));
  CHECK(plan_hyper_v_launch(run, plan, system_clock::now()).system_disk_label == "airlock-system");
  CHECK(plan_hyper_v_launch(run, plan_utility_vm(run.policy, image(), {}, kHost), system_clock::now())
            .system_disk_label.empty());
}

TEST_CASE("windows hyper-v launch plan: a plan without its workspace share first is refused") {
  const LaunchSpec run = spec(WorkspaceMode::readwrite);
  UtilityVmPlan plan = plan_utility_vm(run.policy, image(), {".git"}, kHost);
  std::swap(plan.mounts[0], plan.mounts[1]);
  CHECK_THROWS_AS(plan_hyper_v_launch(run, plan, system_clock::now()), std::invalid_argument);
  plan.mounts.clear();
  CHECK_THROWS_AS(plan_hyper_v_launch(run, plan, system_clock::now()), std::invalid_argument);
}
