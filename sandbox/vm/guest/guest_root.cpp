#include "sandbox/vm/guest/guest_root.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>

#include "sandbox/unique_fd.h"
#include "sandbox/vm/guest/guest_error.h"
#include "sandbox/vm/guest/system_disk.h"
#include "sandbox/vm/guest/share_mount.h"

namespace airlock::sandbox::vm::guest {
namespace {

namespace fs = std::filesystem;

struct Device {
  const char* name;
  unsigned major;
  unsigned minor;
};
constexpr Device kDevices[] = {{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}};
constexpr std::int64_t kDevShmBytes = 64ll << 20;

void make_folders(const std::string& path) {
  std::error_code error;
  fs::create_directories(path, error);
  if (error) throw GuestError("guest agent: creating folder " + path + ": " + error.message());
}

void mount_or_fail(const char* source, const std::string& target, const char* type, unsigned long flags,
                   const std::string& options, const std::string& doing) {
  if (::mount(source, target.c_str(), type, flags, options.empty() ? nullptr : options.c_str()) != 0)
    fail_call("mount", doing);
}

void write_file(const std::string& path, const std::string& content, mode_t mode) {
  UniqueFd file(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode & 07777));
  if (!file) fail_call("open", "creating " + path);
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(file.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_call("write", "writing " + path);
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(file.get(), mode & 07777) != 0) fail_call("fchmod", "setting the mode of " + path);
}

void create_entry(const GuestEntry& entry) {
  if (entry.path.empty() || entry.path.front() != '/' || fs::path(entry.path).lexically_normal() != entry.path)
    throw GuestError("guest agent: refusing entry with a path that is not absolute and normal: " + entry.path);
  make_folders(fs::path(entry.path).parent_path().string());
  switch (entry.kind) {
    case GuestEntry::Kind::directory:
      make_folders(entry.path);
      if (::chmod(entry.path.c_str(), entry.mode & 07777) != 0) fail_call("chmod", "setting the mode of " + entry.path);
      return;
    case GuestEntry::Kind::symlink:
      if (::symlink(entry.content.c_str(), entry.path.c_str()) != 0 && errno != EEXIST)
        fail_call("symlink", "creating " + entry.path);
      return;
    case GuestEntry::Kind::file:
      return write_file(entry.path, entry.content, entry.mode);
  }
}

void mount_system_shares(const LaunchRequest& request, const GuestChannelOption& channel) {
  for (const auto& share : request.system_shares) {
    make_folders(share.path);
    mount_share(channel, share, share.path, MS_RDONLY | MS_NOSUID | MS_NODEV, ShareCaching::cached,
                "mounting the host's " + share.path);
  }
}

void mount_tmp(const LaunchRequest& request) {
  make_folders("/tmp");
  const std::int64_t size = std::max<std::int64_t>(request.limits.disk_bytes, 4096);
  mount_or_fail("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=" + std::to_string(size),
                "mounting /tmp");
  for (const char* folder : {kSandboxBuildDir, kSandboxHome}) {
    make_folders(folder);
    if (::chown(folder, request.uid, request.gid) != 0) fail_call("chown", std::string("giving ") + folder + " to the sandbox user");
    if (::chmod(folder, 0700) != 0) fail_call("chmod", std::string("protecting ") + folder);
  }
}

void bind_or_fail(const std::string& source, const std::string& target, unsigned long flags, const std::string& doing) {
  mount_or_fail(source.c_str(), target, nullptr, MS_BIND | MS_REC, "", doing);
  mount_or_fail(nullptr, target, nullptr, MS_BIND | MS_REMOUNT | flags, "", doing);
}

void make_read_only(const std::string& path) {
  bind_or_fail(path, path, MS_RDONLY | MS_NOSUID | MS_NODEV, "making " + path + " read-only");
}

void protect_paths(const LaunchRequest& request) {
  for (const auto& relative : request.protected_paths) {
    const fs::path normal = fs::path(relative).lexically_normal();
    if (normal.empty() || normal.is_absolute() || *normal.begin() == "..")
      throw GuestError("guest agent: refusing protected path outside the workspace: " + relative);
    const std::string protected_path = (fs::path(request.workspace.path) / normal).string();
    struct stat info{};
    if (::lstat(protected_path.c_str(), &info) != 0 || S_ISLNK(info.st_mode)) continue;
    make_read_only(protected_path);
  }
}

// The workspace share is mounted out of the program's sight, the run's workspace (the share's folder the request's
// layout names) is bound where the policy says, and the share is detached again.
class StagedWorkspace {
 public:
  StagedWorkspace(const LaunchRequest& request, const GuestChannelOption& channel) : layout_(request.workspace_layout) {
    make_folders(kShare);
    mount_share(channel, request.workspace, kShare, MS_NOSUID | MS_NODEV | (request.workspace.writable ? 0 : MS_RDONLY),
                ShareCaching::coherent, "mounting the workspace share");
  }
  ~StagedWorkspace() {
    ::umount2(kShare, MNT_DETACH);
    ::rmdir(kShare);
  }
  StagedWorkspace(const StagedWorkspace&) = delete;
  StagedWorkspace& operator=(const StagedWorkspace&) = delete;

  std::string folder() const {
    if (layout_ == WorkspaceShareLayout::workspace_folder) return kShare;
    return std::string(kShare) + "/" + kStagedWorkspaceFolder;
  }

 private:
  static constexpr const char* kShare = "/.workspace-share";
  WorkspaceShareLayout layout_;
};

// Each protected folder's read-only share over its place in the workspace, so the host's share refuses writes
// whatever happens in the guest.
void mount_protected_shares(const LaunchRequest& request, const GuestChannelOption& channel) {
  const fs::path workspace(request.workspace.path);
  for (const auto& share : request.protected_shares) {
    const fs::path place(share.path);
    const fs::path inside = place.lexically_relative(workspace);
    if (place != place.lexically_normal() || inside.empty() || *inside.begin() == ".." || *inside.begin() == ".")
      throw GuestError("guest agent: refusing protected share " + share.tag + " outside the workspace: " + share.path);
    mount_share(channel, share, share.path, MS_RDONLY | MS_NOSUID | MS_NODEV, ShareCaching::coherent,
                "mounting the protected folder " + share.path + " read-only");
  }
}

// The workspace stays read-only below an overlayfs whose upper folder is on a tmpfs of the run's disk size.
// Both are mounted out of the program's sight and detached once the overlay holds them.
UniqueFd mount_overlay_workspace(const LaunchRequest& request, const std::string& workspace) {
  const std::string lower = "/.overlay-lower";
  const std::string layer = "/.overlay-layer";
  make_folders(lower);
  make_folders(layer);
  bind_or_fail(workspace, lower, MS_RDONLY | MS_NOSUID | MS_NODEV, "binding the workspace " + request.workspace.path);
  const std::int64_t size = std::max<std::int64_t>(request.limits.disk_bytes, 4096);
  mount_or_fail("tmpfs", layer, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700,nr_inodes=65536,size=" + std::to_string(size),
                "mounting the overlay layer's tmpfs");
  make_folders(layer + "/upper");
  make_folders(layer + "/work");
  // The merged root takes its owner and mode from the upper folder: make them the workspace's own.
  struct stat root{};
  if (::stat(lower.c_str(), &root) != 0) fail_call("stat", "reading the workspace's owner");
  if (::chown((layer + "/upper").c_str(), root.st_uid, root.st_gid) != 0 || ::chmod((layer + "/upper").c_str(), root.st_mode & 07777) != 0)
    fail_call("chown", "giving the overlay's upper folder the workspace's owner");
  UniqueFd upper(::open((layer + "/upper").c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (!upper) fail_call("open", "opening the overlay's upper folder");
  make_folders(request.workspace.path);
  // No redirects, index or metacopy: the upper folder then says everything in plain files, whiteouts and
  // opaque folders, which is all the host reads.
  mount_or_fail("overlay", request.workspace.path, "overlay", MS_NOSUID | MS_NODEV,
                "lowerdir=" + lower + ",upperdir=" + layer + "/upper,workdir=" + layer +
                    "/work,redirect_dir=off,index=off,metacopy=off,xino=off",
                "mounting the overlay over the workspace " + request.workspace.path);
  for (const std::string& hidden : {lower, layer}) {
    if (::umount2(hidden.c_str(), MNT_DETACH) != 0) fail_call("umount2", "hiding " + hidden);
    ::rmdir(hidden.c_str());
  }
  return upper;
}

UniqueFd mount_workspace(const LaunchRequest& request, const GuestChannelOption& channel) {
  const StagedWorkspace share(request, channel);
  if (request.workspace_mode == WorkspaceMode::overlay) {
    UniqueFd upper = mount_overlay_workspace(request, share.folder());
    mount_protected_shares(request, channel);
    protect_paths(request);
    return upper;
  }
  const std::string& path = request.workspace.path;
  make_folders(path);
  const bool writable = request.workspace_mode == WorkspaceMode::readwrite;
  bind_or_fail(share.folder(), path, MS_NOSUID | MS_NODEV | (writable ? 0 : MS_RDONLY), "binding the workspace " + path);
  mount_protected_shares(request, channel);
  if (writable) protect_paths(request);
  return {};
}

void mount_dev() {
  make_folders("/dev");
  mount_or_fail("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=65536", "mounting /dev");
  for (const auto& device : kDevices) {
    const std::string path = std::string("/dev/") + device.name;
    if (::mknod(path.c_str(), S_IFCHR | 0666, makedev(device.major, device.minor)) != 0) fail_call("mknod", "creating " + path);
    if (::chmod(path.c_str(), 0666) != 0) fail_call("chmod", "opening " + path + " to everyone");
  }
  for (const auto& [link, target] : {std::pair{"/dev/fd", "/proc/self/fd"}, std::pair{"/dev/stdin", "/proc/self/fd/0"},
                                     std::pair{"/dev/stdout", "/proc/self/fd/1"}, std::pair{"/dev/stderr", "/proc/self/fd/2"}}) {
    if (::symlink(target, link) != 0) fail_call("symlink", std::string("creating ") + link);
  }
  make_folders("/dev/shm");
  mount_or_fail("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=" + std::to_string(kDevShmBytes),
                "mounting /dev/shm");
}

}  // namespace

GuestRoot build_guest_root(const LaunchRequest& request, const GuestChannelOption& channel) {
  mount_system_shares(request, channel);
  mount_system_disk(request);
  for (const auto& entry : request.entries) create_entry(entry);
  // Before the workspace: a workspace under /tmp gets its mount point inside the run's own /tmp.
  mount_tmp(request);
  GuestRoot root{.overlay_upper = mount_workspace(request, channel)};
  mount_dev();
  make_folders("/proc");
  mount_or_fail("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "", "mounting /proc");
  mount_or_fail(nullptr, "/", nullptr, MS_REMOUNT | MS_RDONLY, "", "making the guest's root read-only");
  return root;
}

}  // namespace airlock::sandbox::vm::guest
