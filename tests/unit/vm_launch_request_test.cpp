// What a VM run is given: which host folders QEMU shares and how, and what the launch request carries into
// the guest (never anything an unprivileged host user could not read).

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "sandbox/vm/launch_request.h"

namespace airlock::sandbox::vm {
namespace {

LaunchSpec sample_spec(WorkspaceMode mode) {
  LaunchSpec spec;
  spec.policy.isolation = Isolation::vm;
  spec.policy.workspace = std::filesystem::temp_directory_path();
  spec.policy.workspace_mode = mode;
  spec.steps = {{"python3", "/airlock/snippet.py"}};
  spec.cwd = spec.policy.workspace.string();
  spec.env = {{"PATH", "/usr/bin:/bin"}};
  spec.files = {{.path = "/airlock/snippet.py", .content = "print(1)", .mode = 0644}};
  return spec;
}

const GuestEntry* find_entry(const LaunchRequest& request, const std::string& path) {
  auto it = std::find_if(request.entries.begin(), request.entries.end(), [&](const auto& e) { return e.path == path; });
  return it == request.entries.end() ? nullptr : &*it;
}

TEST_CASE("vm launch request: system folders are read-only shares, the staging folder the one writable share") {
  const std::vector<HostShare> shares = vm_shares("/tmp/airlock-vm-sample");
  for (const auto& share : shares) {
    if (share.tag == "workspace") {
      CHECK(share.writable);
      CHECK(share.host_path == "/tmp/airlock-vm-sample");
    } else {
      CHECK_FALSE(share.writable);
    }
  }
  CHECK(std::count_if(shares.begin(), shares.end(), [](const auto& s) { return s.tag == "workspace"; }) == 1);
  CHECK(std::any_of(shares.begin(), shares.end(), [](const auto& s) { return s.host_path == "/usr"; }));
}

TEST_CASE("vm launch request: the workspace is writable in the guest only for readwrite runs") {
  for (auto mode : {WorkspaceMode::readonly, WorkspaceMode::overlay, WorkspaceMode::readwrite}) {
    const LaunchRequest request = plan_guest(sample_spec(mode));
    CHECK(request.workspace.tag == "workspace");
    CHECK(request.workspace.path == std::filesystem::temp_directory_path().string());
    CHECK(request.workspace.writable == (mode == WorkspaceMode::readwrite));
    CHECK(request.workspace_mode == mode);
    CHECK(request.workspace_layout == WorkspaceShareLayout::staging_folder);
    const std::vector<HostShare> shares = vm_shares("/tmp/airlock-vm-sample");
    CHECK(request.system_shares.size() + 1 == shares.size());
  }
}

TEST_CASE("vm launch request: the guest gets the snippet, a sandbox passwd and no host secrets") {
  const LaunchRequest request = plan_guest(sample_spec(WorkspaceMode::readonly));
  const GuestEntry* snippet = find_entry(request, "/airlock/snippet.py");
  REQUIRE(snippet);
  CHECK(snippet->content == "print(1)");
  const GuestEntry* passwd = find_entry(request, "/etc/passwd");
  REQUIRE(passwd);
  CHECK(passwd->content.find("root:") == std::string::npos);
  CHECK_FALSE(find_entry(request, "/etc/shadow"));
  for (const auto& entry : request.entries) {
    CHECK_FALSE(entry.path.starts_with("/etc/ssl/private/"));
    if (entry.kind == GuestEntry::Kind::file && entry.path.starts_with("/etc/") && entry.path != "/etc/passwd" &&
        entry.path != "/etc/group" && entry.path != "/etc/hosts") {
      struct stat info{};
      REQUIRE(::stat(entry.path.c_str(), &info) == 0);
      CHECK((info.st_mode & S_IROTH) != 0);
    }
  }
  CHECK(request.uid != 0);
}

TEST_CASE("vm launch request: malformed specs are refused before any VM starts") {
  LaunchSpec outside = sample_spec(WorkspaceMode::readonly);
  outside.files = {{.path = "/etc/profile", .content = "x"}};
  CHECK_THROWS_AS(plan_guest(outside), std::invalid_argument);
  LaunchSpec sneaky = sample_spec(WorkspaceMode::readonly);
  sneaky.files = {{.path = "/airlock/../etc/x", .content = "x"}};
  CHECK_THROWS_AS(plan_guest(sneaky), std::invalid_argument);
  LaunchSpec no_steps = sample_spec(WorkspaceMode::readonly);
  no_steps.steps.clear();
  CHECK_THROWS_AS(plan_guest(no_steps), std::invalid_argument);
  LaunchSpec root = sample_spec(WorkspaceMode::readonly);
  root.policy.workspace = "/";
  CHECK_THROWS_AS(plan_guest(root), std::invalid_argument);
}

TEST_CASE("vm launch request: from the system disk, no host system folder or host /etc file reaches the guest") {
  const LaunchRequest request = plan_guest(sample_spec(WorkspaceMode::readonly), SystemSource::system_disk);
  CHECK(request.system_disk_label == kSystemDiskLabel);
  CHECK(request.system_shares.empty());
  std::vector<std::string> etc;
  for (const auto& entry : request.entries) {
    if (entry.path.starts_with("/etc/")) etc.push_back(entry.path);
    CHECK_FALSE(entry.path.starts_with("/usr"));
    CHECK(entry.path != "/bin");
  }
  std::sort(etc.begin(), etc.end());
  CHECK(etc == std::vector<std::string>{"/etc/group", "/etc/hosts", "/etc/passwd"});
  REQUIRE(find_entry(request, "/airlock/snippet.py"));
  const std::vector<HostShare> shares = vm_shares("/tmp/airlock-vm-sample", SystemSource::system_disk);
  REQUIRE(shares.size() == 1);
  CHECK(shares.front().tag == "workspace");
  CHECK(plan_guest(sample_spec(WorkspaceMode::readonly)).system_disk_label.empty());
}

TEST_CASE("vm launch request: the image's system disk, when named, decides where the system comes from") {
  VmImage image;
  CHECK(system_source(image) == SystemSource::host_shares);
  image.system_disk = "/cache/system.ext4";
  CHECK(system_source(image) == SystemSource::system_disk);
}

}  // namespace
}  // namespace airlock::sandbox::vm
