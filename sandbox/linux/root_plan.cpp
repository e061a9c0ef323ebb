#include "sandbox/linux/root_plan.h"

#include <algorithm>
#include <climits>
#include <filesystem>
#include <stdexcept>

#include "sandbox/etc_files.h"
#include "sandbox/linux/system_folders.h"

namespace airlock::sandbox::linux_backend {
namespace {

namespace fs = std::filesystem;

// What programs read from /etc: the dynamic linker, TLS roots, time zone, name service switch, Debian's
// alternatives. Never shadow files or anything that names the host's users or secrets.
constexpr const char* kEtcEntries[] = {"ld.so.cache",     "ld.so.conf",     "ld.so.conf.d", "alternatives", "ssl",
                                       "ca-certificates", "localtime",      "nsswitch.conf"};
constexpr const char* kEtcPrefixes[] = {"python3"};  // python3, python3.11, ...: site configuration
constexpr const char* kDevices[] = {"null", "zero", "full", "random", "urandom"};
// POSIX shared memory lives in /tmp, so that /tmp, the home folder and /dev/shm share the run's one disk limit.
constexpr const char* kSharedMemoryDir = "/tmp/.airlock-shm";
// Empty files take no blocks but an inode each, and kernel memory with it: the disk limit bounds inodes too.
constexpr std::int64_t kBytesPerInode = 4096;
constexpr std::int64_t kFewestInodes = 1024;
// Files and folders an overlay layer may hold: tmpfs inodes cost memory that its size limit does not count.
constexpr std::int64_t kLayerInodes = 65536;
// Longest sandbox path accepted, leaving room for the prefix the child adds while building the root.
constexpr std::size_t kMaxSandboxPath = PATH_MAX - 64;

void require_absolute_normal(const std::string& path, const char* what) {
  if (path.empty() || path.front() != '/' || path.size() > kMaxSandboxPath ||
      path.find('\0') != std::string::npos || fs::path(path).lexically_normal().string() != path ||
      (path.size() > 1 && path.back() == '/')) {
    throw std::invalid_argument(std::string(what) + " must be an absolute, normalized path shorter than " +
                                std::to_string(kMaxSandboxPath) + " bytes: \"" + path + "\"");
  }
}

void require_relative_beneath(const std::string& path, const char* what) {
  const fs::path normal = fs::path(path).lexically_normal();
  if (path.empty() || path.front() == '/' || path.size() > kMaxSandboxPath || path.find('\0') != std::string::npos ||
      normal.empty() || *normal.begin() == ".." || normal == ".") {
    throw std::invalid_argument(std::string(what) + " must be a relative path inside the workspace: \"" + path + "\"");
  }
}

bool is_under(const std::string& path, const std::string& folder) {
  return path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 && path[folder.size()] == '/';
}

RootOp bind_read_only(const std::string& path) {
  return {.kind = RootOpKind::bind, .target = path, .source = path, .skip_if_missing = true};
}

// A host entry shown as the host has it: a symlink is recreated (its target is visible through the other
// entries), a file or folder is bound read-only, a missing one is left out.
void add_host_entry(std::vector<RootOp>& ops, const std::string& path) {
  std::error_code error;
  const auto status = fs::symlink_status(path, error);
  if (error || !fs::exists(status)) return;
  if (fs::is_symlink(status)) {
    const auto link = fs::read_symlink(path, error);
    if (!error) ops.push_back({.kind = RootOpKind::make_symlink, .target = path, .data = link.string()});
    return;
  }
  ops.push_back(bind_read_only(path));
}

void add_system(std::vector<RootOp>& ops) {
  for (const char* path : kSystemFolders) add_host_entry(ops, path);
}

void add_etc(std::vector<RootOp>& ops, const SandboxIdentity& identity) {
  ops.push_back({.kind = RootOpKind::make_dir, .target = "/etc", .mode = 0755});
  ops.push_back({.kind = RootOpKind::write_file, .target = "/etc/passwd", .data = sandbox_passwd(identity.uid, identity.gid), .mode = 0644});
  ops.push_back({.kind = RootOpKind::write_file, .target = "/etc/group", .data = sandbox_group(identity.gid), .mode = 0644});
  ops.push_back({.kind = RootOpKind::write_file, .target = "/etc/hosts", .data = sandbox_hosts(), .mode = 0644});
  for (const char* entry : kEtcEntries) add_host_entry(ops, std::string("/etc/") + entry);
  std::error_code error;
  std::vector<std::string> prefixed;
  for (const auto& entry : fs::directory_iterator("/etc", error)) {
    const std::string name = entry.path().filename().string();
    for (const char* prefix : kEtcPrefixes) {
      if (name.starts_with(prefix)) prefixed.push_back(entry.path().string());
    }
  }
  std::sort(prefixed.begin(), prefixed.end());
  for (const auto& path : prefixed) add_host_entry(ops, path);
}

void add_tmp(std::vector<RootOp>& ops, const Limits& limits) {
  const std::int64_t bytes = std::max<std::int64_t>(limits.disk_bytes, 4096);
  ops.push_back({.kind = RootOpKind::mount_tmpfs,
                 .target = "/tmp",
                 .data = "mode=1777,size=" + std::to_string(bytes) +
                         ",nr_inodes=" + std::to_string(std::max(bytes / kBytesPerInode, kFewestInodes))});
  ops.push_back({.kind = RootOpKind::make_dir, .target = kSandboxBuildDir, .mode = 0755});
  ops.push_back({.kind = RootOpKind::make_dir, .target = kSandboxHome, .mode = 0700});
}

void add_workspace(std::vector<RootOp>& ops, const Policy& policy, const std::vector<std::string>& mounts_below) {
  if (policy.workspace.empty()) return;
  const std::string workspace = policy.workspace.string();
  require_absolute_normal(workspace, "the workspace");
  if (workspace == "/") throw std::invalid_argument("the workspace cannot be / (it would expose the whole host)");
  switch (policy.workspace_mode) {
    case WorkspaceMode::readonly:
      // A bind mount would carry a host service's unix socket in the workspace along, and connect() ignores
      // read-only mounts; an overlay's socket files lead nowhere. Mounts inside the workspace rule an overlay
      // out, and then only Landlock (ABI 9) keeps such sockets out of reach.
      if (mounts_below.empty()) {
        ops.push_back({.kind = RootOpKind::make_dir, .target = workspace, .mode = 0755});
        ops.push_back({.kind = RootOpKind::mount_readonly_view, .target = workspace, .source = workspace});
      } else {
        ops.push_back({.kind = RootOpKind::bind, .target = workspace, .source = workspace});
      }
      return;
    case WorkspaceMode::readwrite:
      ops.push_back({.kind = RootOpKind::bind, .target = workspace, .source = workspace, .access = BindAccess::writable});
      break;
    case WorkspaceMode::overlay:
      ops.push_back({.kind = RootOpKind::make_dir, .target = workspace, .mode = 0755});
      ops.push_back({.kind = RootOpKind::mount_overlay,
                     .target = workspace,
                     .source = workspace,
                     .data = "mode=0700,size=" + std::to_string(std::max<std::int64_t>(policy.limits.disk_bytes, 4096)) +
                             ",nr_inodes=" + std::to_string(kLayerInodes)});
      break;
  }
  for (const auto& path : policy.protected_paths) {
    require_relative_beneath(path, "a protected path");
    ops.push_back({.kind = RootOpKind::protect, .target = workspace, .data = fs::path(path).lexically_normal().string()});
  }
}

void add_files(std::vector<RootOp>& ops, const std::vector<FileToCreate>& files) {
  const std::string folder = kSandboxFilesDir;
  ops.push_back({.kind = RootOpKind::make_dir, .target = folder, .mode = 0755});
  for (const auto& file : files) {
    require_absolute_normal(file.path, "a file to create");
    if (!is_under(file.path, folder)) {
      throw std::invalid_argument("a file to create must be under " + folder + ": \"" + file.path + "\"");
    }
    ops.push_back({.kind = RootOpKind::write_file, .target = file.path, .data = file.content, .mode = file.mode & 0777});
  }
}

void add_dev(std::vector<RootOp>& ops) {
  ops.push_back({.kind = RootOpKind::mount_tmpfs, .target = "/dev", .data = "mode=0755,size=65536"});
  for (const char* device : kDevices) {
    const std::string path = std::string("/dev/") + device;
    ops.push_back({.kind = RootOpKind::bind, .target = path, .source = path, .access = BindAccess::device});
  }
  ops.push_back({.kind = RootOpKind::make_symlink, .target = "/dev/fd", .data = "/proc/self/fd"});
  ops.push_back({.kind = RootOpKind::make_symlink, .target = "/dev/stdin", .data = "/proc/self/fd/0"});
  ops.push_back({.kind = RootOpKind::make_symlink, .target = "/dev/stdout", .data = "/proc/self/fd/1"});
  ops.push_back({.kind = RootOpKind::make_symlink, .target = "/dev/stderr", .data = "/proc/self/fd/2"});
  ops.push_back({.kind = RootOpKind::make_dir, .target = kSharedMemoryDir, .mode = 01777});
  ops.push_back({.kind = RootOpKind::make_symlink, .target = "/dev/shm", .data = kSharedMemoryDir});
  ops.push_back({.kind = RootOpKind::make_readonly, .target = "/dev"});
}

}  // namespace

std::vector<RootOp> plan_root_filesystem(const LaunchSpec& spec, const SandboxIdentity& identity,
                                         const std::vector<std::string>& mounts_below_workspace) {
  std::vector<RootOp> ops;
  add_system(ops);
  add_etc(ops, identity);
  // Before the workspace: a workspace under /tmp gets its mount point inside the sandbox's own /tmp.
  add_tmp(ops, spec.policy.limits);
  add_workspace(ops, spec.policy, mounts_below_workspace);
  add_files(ops, spec.files);
  add_dev(ops);
  ops.push_back({.kind = RootOpKind::mount_proc, .target = "/proc"});
  ops.push_back({.kind = RootOpKind::make_readonly, .target = "/"});
  return ops;
}

}  // namespace airlock::sandbox::linux_backend
