#include "sandbox/linux/cgroup_placement.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <spdlog/spdlog.h>

#include "sandbox/linux/cgroup_janitor.h"

namespace airlock::sandbox::linux_backend {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  for (std::string part; std::getline(stream, part, separator);) parts.push_back(part);
  return parts;
}

bool contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// A cgroup filesystem as /proc/self/mountinfo lists it.
struct CgroupMount {
  fs::path root;         // the folder of the hierarchy this mount shows
  fs::path mount_point;
  bool v2 = false;
  std::vector<std::string> options;  // v1: the controllers bound to the hierarchy, among others
};

std::vector<CgroupMount> cgroup_mounts() {
  std::vector<CgroupMount> mounts;
  std::ifstream mountinfo("/proc/self/mountinfo");
  for (std::string line; std::getline(mountinfo, line);) {
    // id parent major:minor root mount-point options [optional fields...] - type source super-options
    const auto fields = split(line, ' ');
    const auto dash = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 5 || fields.end() - dash < 4) continue;
    const std::string& type = *(dash + 1);
    if (type != "cgroup" && type != "cgroup2") continue;
    mounts.push_back({.root = fields[3], .mount_point = fields[4], .v2 = type == "cgroup2",
                      .options = split(*(dash + 3), ',')});
  }
  return mounts;
}

// This process's cgroup in each hierarchy, from /proc/self/cgroup: "id:controllers:path", v2 is "0::path".
struct Membership {
  std::vector<std::string> controllers;
  fs::path path;
  bool v2 = false;
};

std::vector<Membership> memberships() {
  std::vector<Membership> found;
  std::ifstream cgroups("/proc/self/cgroup");
  for (std::string line; std::getline(cgroups, line);) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    found.push_back({.controllers = split(controllers, ','),
                     .path = line.substr(second + 1),
                     .v2 = line.compare(0, first, "0") == 0 && controllers.empty()});
  }
  return found;
}

// The folder of `path` (a cgroup of the hierarchy) through a mount of that hierarchy, if the mount shows it.
std::optional<fs::path> folder_of(const Membership& member, const std::vector<CgroupMount>& mounts,
                                  const std::string& controller) {
  for (const auto& mount : mounts) {
    if (mount.v2 != member.v2 || (!mount.v2 && !contains(mount.options, controller))) continue;
    const fs::path relative = member.path.lexically_relative(mount.root);
    if (relative.empty() || *relative.begin() == "..") continue;
    return relative == "." ? mount.mount_point : mount.mount_point / relative;
  }
  return std::nullopt;
}

std::string read_first_line(const fs::path& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return line;
}

// Whether this process may create groups in `folder`: the only sure test is to create one.
std::optional<std::string> try_create_group(const fs::path& folder) {
  const fs::path probe = folder / ("airlock-probe-" + std::to_string(::getpid()));
  if (::mkdir(probe.c_str(), 0755) != 0) return "mkdir " + probe.string() + " failed: " + std::strerror(errno);
  ::rmdir(probe.c_str());
  return std::nullopt;
}

CgroupController place(const std::string& controller, const std::vector<Membership>& members,
                       const std::vector<CgroupMount>& mounts) {
  std::string refusals;
  for (const auto version : {CgroupVersion::v2, CgroupVersion::v1}) {
    const bool v2 = version == CgroupVersion::v2;
    const auto member = std::find_if(members.begin(), members.end(), [&](const Membership& m) {
      return m.v2 == v2 && (v2 || contains(m.controllers, controller));
    });
    const std::string name = std::string(to_string(version)) + " " + controller;
    const auto folder = member == members.end() ? std::nullopt : folder_of(*member, mounts, controller);
    std::optional<std::string> refusal;
    if (!folder) {
      refusal = name + ": not mounted";
    } else if (v2 && !contains(split(read_first_line(*folder / "cgroup.subtree_control"), ' '), controller)) {
      refusal = name + ": not delegated to " + folder->string() + "'s children";
    } else {
      refusal = try_create_group(*folder);
      if (refusal) refusal = name + ": " + *refusal;
    }
    if (!refusal) {
      remove_abandoned_groups(folder->c_str());
      return {.parent = CgroupParent{.version = version, .folder = *folder}};
    }
    refusals += (refusals.empty() ? "" : "; ") + *refusal;
  }
  return {.refusal = refusals};
}

CgroupPlacement find_placement() {
  const auto members = memberships();
  const auto mounts = cgroup_mounts();
  CgroupPlacement placement{.memory = place("memory", members, mounts), .pids = place("pids", members, mounts)};
  std::vector<std::string> folders;
  for (const auto* controller : {&placement.memory, &placement.pids}) {
    if (controller->parent) folders.push_back(controller->parent->folder.string());
  }
  if (folders.empty()) return placement;
  // Without a janitor, a killed server's groups wait for the next server's sweep: runs need not wait for it.
  if (const auto why_not = start_cgroup_janitor(folders); !why_not.empty()) {
    spdlog::warn("runs' cgroups will outlive this server if it is killed: starting their janitor failed: {}",
                 why_not);
  }
  return placement;
}

}  // namespace

const CgroupPlacement& cgroup_placement() {
  static const CgroupPlacement placement = find_placement();
  return placement;
}

const char* to_string(CgroupVersion version) { return version == CgroupVersion::v2 ? "cgroup v2" : "cgroup v1"; }

}  // namespace airlock::sandbox::linux_backend
