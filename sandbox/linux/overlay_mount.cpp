#include "sandbox/linux/overlay_mount.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>

#include "sandbox/linux/root_ops.h"

namespace airlock::sandbox::linux_backend {
namespace {

// In the staging root, which is detached once the new root is entered: the program never reaches these.
constexpr const char* kLayerMountPoint = "/layer";
constexpr const char* kUpperDir = "/layer/upper";
constexpr const char* kWorkDir = "/layer/work";
// The lower layer is the current folder while mounting, so no host path, which may hold the ',' ':' and '\'
// that overlayfs options treat specially, ever appears in the options. userxattr: the kernel lets an
// overlay be mounted in a user namespace only with its xattrs in the user.overlay.* namespace.
constexpr const char* kOverlayOptions = "lowerdir=.,upperdir=/layer/upper,workdir=/layer/work,userxattr";
constexpr const char* kKernelHint = "overlay mode needs overlayfs in user namespaces and tmpfs user xattrs, Linux 6.6 or newer";
// A read-only view has no upper layer, and overlayfs then wants two lower layers: the workspace over an empty
// folder of the staging root.
constexpr const char* kEmptyLowerDir = "/empty-lower";
constexpr const char* kViewOptions = "lowerdir=.:/empty-lower";
constexpr const char* kViewKernelHint = "readonly mode needs overlayfs in user namespaces, Linux 5.11 or newer";

struct HostPath {
  char text[PATH_MAX];
};

bool under(HostPath& out, const char* prefix, const std::string& path, ChildFailure& failure) {
  const int length = std::snprintf(out.text, sizeof out.text, "%s%s", prefix, path.c_str());
  if (length < 0 || static_cast<std::size_t>(length) >= sizeof out.text) {
    return fail(failure, ENAMETOOLONG, "snprintf", "%s", path.c_str());
  }
  return true;
}

// The upper folder becomes the root of the merged workspace, so it takes the host workspace's permissions.
bool make_layer(const char* tmpfs_options, mode_t workspace_mode, ChildFailure& failure) {
  if (::mkdir(kLayerMountPoint, 0700) != 0) return fail(failure, errno, "mkdir", "%s", kLayerMountPoint);
  if (::mount("tmpfs", kLayerMountPoint, "tmpfs", MS_NOSUID | MS_NODEV, tmpfs_options) != 0) {
    return fail(failure, errno, "mount", "mounting the overlay layer's tmpfs (%s)", tmpfs_options);
  }
  if (::mkdir(kUpperDir, 0700) != 0) return fail(failure, errno, "mkdir", "%s", kUpperDir);
  if (::chmod(kUpperDir, workspace_mode & 07777) != 0) return fail(failure, errno, "chmod", "%s", kUpperDir);
  if (::mkdir(kWorkDir, 0700) != 0) return fail(failure, errno, "mkdir", "%s", kWorkDir);
  return true;
}

// Mounts an overlay with `options` on the workspace's place in the new root, the host workspace being the lower
// layer "." (the current folder while mounting); before_mount(workspace's stat) prepares the other layers.
// A template, not std::function: the sandbox's init must not allocate.
template <typename BeforeMount>
bool mount_over_workspace(const RootOp& op, unsigned long flags, const char* options, const char* kernel_hint,
                          BeforeMount before_mount, ChildFailure& failure) {
  HostPath lower, target;
  if (!under(lower, kOldRoot, op.source, failure) || !under(target, kNewRoot, op.target, failure)) return false;
  UniqueFd lower_fd(::open(lower.text, O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!lower_fd) return fail(failure, errno, "open", "the workspace %s", op.source.c_str());
  struct stat lower_info {};
  if (::fstat(lower_fd.get(), &lower_info) != 0) return fail(failure, errno, "fstat", "the workspace %s", op.source.c_str());
  if (!before_mount(lower_info)) return false;
  if (::fchdir(lower_fd.get()) != 0) return fail(failure, errno, "fchdir", "the workspace %s", op.source.c_str());
  const bool mounted = ::mount("overlay", target.text, "overlay", flags, options) == 0;
  const int mount_error = errno;
  if (::chdir("/") != 0) return fail(failure, errno, "chdir", "back to the staging root");
  if (!mounted) return fail(failure, mount_error, "mount", "the overlay on %s (%s)", op.target.c_str(), kernel_hint);
  return true;
}

}  // namespace

bool mount_overlay_workspace(const RootOp& op, UniqueFd& layer, ChildFailure& failure) {
  const auto make_writable_layer = [&](const struct stat& workspace) {
    return make_layer(op.data.c_str(), workspace.st_mode, failure);
  };
  if (!mount_over_workspace(op, MS_NOSUID | MS_NODEV, kOverlayOptions, kKernelHint, make_writable_layer, failure)) {
    return false;
  }
  layer.reset(::open(kUpperDir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!layer) return fail(failure, errno, "open", "the overlay layer %s", kUpperDir);
  return true;
}

bool mount_readonly_workspace_view(const RootOp& op, ChildFailure& failure) {
  const auto make_empty_lower = [&](const struct stat&) {
    return ::mkdir(kEmptyLowerDir, 0555) == 0 || fail(failure, errno, "mkdir", "%s", kEmptyLowerDir);
  };
  return mount_over_workspace(op, MS_NOSUID | MS_NODEV | MS_RDONLY, kViewOptions, kViewKernelHint, make_empty_lower,
                              failure);
}

}  // namespace airlock::sandbox::linux_backend
