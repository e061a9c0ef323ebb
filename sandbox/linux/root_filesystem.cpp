#include "sandbox/linux/root_filesystem.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux/overlay_mount.h"
#include "sandbox/linux/root_ops.h"

namespace airlock::sandbox::linux_backend {
namespace {

// Any folder every Linux host has: the staging tmpfs hides it only inside this mount namespace, and the host's
// own /tmp stays reachable under kOldRoot once the staging root is pivoted in.
constexpr const char* kStagingMountPoint = "/tmp";

int pivot_root(const char* new_root, const char* put_old) {
  return static_cast<int>(::syscall(SYS_pivot_root, new_root, put_old));
}

bool enter_staging_root(ChildFailure& failure) {
  if (::mount(nullptr, "/", nullptr, MS_SLAVE | MS_REC, nullptr) != 0) {
    return fail(failure, errno, "mount(MS_SLAVE|MS_REC)", "keeping the sandbox's mounts from reaching the host");
  }
  if (::mount("tmpfs", kStagingMountPoint, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=65536") != 0) {
    return fail(failure, errno, "mount", "mounting the staging tmpfs on %s", kStagingMountPoint);
  }
  if (::chdir(kStagingMountPoint) != 0) return fail(failure, errno, "chdir", "entering the staging root");
  if (::mkdir(kNewRoot + 1, 0755) != 0) return fail(failure, errno, "mkdir", "%s", kNewRoot);
  if (::mkdir(kOldRoot + 1, 0755) != 0) return fail(failure, errno, "mkdir", "%s", kOldRoot);
  if (pivot_root(".", kOldRoot + 1) != 0) return fail(failure, errno, "pivot_root", "entering the staging root");
  if (::chdir("/") != 0) return fail(failure, errno, "chdir", "entering the staging root");
  if (::mount("tmpfs", kNewRoot, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) {
    return fail(failure, errno, "mount", "mounting the root tmpfs");
  }
  return true;
}

bool switch_to_new_root(ChildFailure& failure) {
  if (::mount(kOldRoot, kOldRoot, nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return fail(failure, errno, "mount(MS_REC|MS_PRIVATE)", "detaching the host's root");
  }
  if (::umount2(kOldRoot, MNT_DETACH) != 0) return fail(failure, errno, "umount2", "detaching the host's root");
  if (::chdir(kNewRoot) != 0) return fail(failure, errno, "chdir", "entering the new root");
  // pivot_root(".", ".") stacks the staging root under the new one; detaching "." then drops it.
  if (pivot_root(".", ".") != 0) return fail(failure, errno, "pivot_root", "entering the new root");
  if (::umount2(".", MNT_DETACH) != 0) return fail(failure, errno, "umount2", "detaching the staging root");
  if (::chdir("/") != 0) return fail(failure, errno, "chdir", "entering the new root");
  return true;
}

}  // namespace

bool build_root_filesystem(const std::vector<RootOp>& ops, UniqueFd& layer, ChildFailure& failure) {
  if (!enter_staging_root(failure)) return false;
  for (const auto& op : ops) {
    const bool applied = op.kind == RootOpKind::mount_overlay         ? mount_overlay_workspace(op, layer, failure)
                         : op.kind == RootOpKind::mount_readonly_view ? mount_readonly_workspace_view(op, failure)
                                                                       : apply_root_op(op, failure);
    if (!applied) return false;
  }
  return switch_to_new_root(failure);
}

}  // namespace airlock::sandbox::linux_backend
