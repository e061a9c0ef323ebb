#include "sandbox/linux/root_ops.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "sandbox/linux/kernel_calls.h"
#include "sandbox/unique_fd.h"

namespace airlock::sandbox::linux_backend {
namespace {

struct ChildPath {
  char text[PATH_MAX];
};

bool join(ChildPath& out, const char* prefix, const std::string& path, ChildFailure& failure) {
  const char* rest = path == "/" ? "" : path.c_str();
  const int length = std::snprintf(out.text, sizeof out.text, "%s%s", prefix, rest);
  if (length < 0 || static_cast<std::size_t>(length) >= sizeof out.text) {
    return fail(failure, ENAMETOOLONG, "snprintf", "%s", path.c_str());
  }
  return true;
}

// Creates the folders above path that are missing, walking up only as far as one exists. errno on failure.
bool make_missing_parents(ChildPath& path) {
  char* slash = std::strrchr(path.text, '/');
  if (slash == nullptr || slash == path.text) return true;
  *slash = '\0';
  bool made = ::mkdir(path.text, 0755) == 0 || errno == EEXIST;
  if (!made && errno == ENOENT) made = make_missing_parents(path) && (::mkdir(path.text, 0755) == 0 || errno == EEXIST);
  *slash = '/';
  return made;
}

// Runs create (a call that sets errno when it fails) and, only when a folder above path is missing, creates
// the missing folders and runs it again: most paths have their parents already.
template <typename Create>
bool create_with_parents(ChildPath& path, Create create) {
  if (create()) return true;
  return errno == ENOENT && make_missing_parents(path) && create();
}

bool make_dir(ChildPath& path, mode_t mode, ChildFailure& failure) {
  if (create_with_parents(path, [&] { return ::mkdir(path.text, mode) == 0 || errno == EEXIST; })) return true;
  return fail(failure, errno, "mkdir", "%s", path.text + std::strlen(kNewRoot));
}

bool make_mount_point(ChildPath& target, bool directory, ChildFailure& failure) {
  if (directory) return make_dir(target, 0755, failure);
  const bool made = create_with_parents(target, [&] {
    UniqueFd file(::open(target.text, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
    return file.valid();
  });
  if (!made) return fail(failure, errno, "open", "creating mount point %s", target.text + std::strlen(kNewRoot));
  return true;
}

std::uint64_t attributes_for(BindAccess access) {
  switch (access) {
    case BindAccess::read_only: return MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
    case BindAccess::writable: return MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
    case BindAccess::device: return MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC;
  }
  return MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
}

// A recursive copy of the mount tree at source, detached, with the attributes set on every mount in it. Adding
// attributes never clears the flags the kernel locks on mounts inherited from the host, so this cannot fail
// the way a plain MS_REMOUNT without those flags does.
UniqueFd clone_tree(int source, std::uint64_t attributes, const char* label, ChildFailure& failure) {
  UniqueFd tree(::open_tree(source, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE));
  if (!tree) {
    fail(failure, errno, "open_tree", "binding %s", label);
    return tree;
  }
  mount_attr attr{};
  attr.attr_set = attributes;
  if (::mount_setattr(tree.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0) {
    fail(failure, errno, "mount_setattr", "restricting %s", label);
    return UniqueFd();
  }
  return tree;
}

bool bind(const RootOp& op, ChildFailure& failure) {
  ChildPath source, target;
  if (!join(source, kOldRoot, op.source, failure) || !join(target, kNewRoot, op.target, failure)) return false;
  UniqueFd source_fd(::open(source.text, O_PATH | O_CLOEXEC));
  if (!source_fd) {
    if (errno == ENOENT && op.skip_if_missing) return true;
    if (errno == EACCES) {
      return fail(failure, errno, "open",
                  "binding %s (the sandbox user, uid %u, needs search permission on every folder above it)",
                  op.source.c_str(), static_cast<unsigned>(::getuid()));
    }
    return fail(failure, errno, "open", "binding %s", op.source.c_str());
  }
  struct stat info {};
  if (::fstat(source_fd.get(), &info) != 0) return fail(failure, errno, "fstat", "binding %s", op.source.c_str());
  if (!make_mount_point(target, S_ISDIR(info.st_mode), failure)) return false;
  UniqueFd tree = clone_tree(source_fd.get(), attributes_for(op.access), op.source.c_str(), failure);
  if (!tree) return false;
  if (::move_mount(tree.get(), "", AT_FDCWD, target.text, MOVE_MOUNT_F_EMPTY_PATH) != 0) {
    return fail(failure, errno, "move_mount", "binding %s", op.source.c_str());
  }
  return true;
}

bool bind_read_only_in_place(int entry, const char* label, ChildFailure& failure) {
  UniqueFd tree = clone_tree(entry, attributes_for(BindAccess::read_only), label, failure);
  if (!tree) return false;
  if (::move_mount(tree.get(), "", entry, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
    return fail(failure, errno, "move_mount", "protecting %s", label);
  }
  return true;
}

// A protected path the workspace lacks would be free to create in readwrite mode (.git/hooks, .vscode/tasks.json,
// both run by tools later): an empty read-only folder takes its place. Its mount point exists on the host for
// the run's duration; the server removes it afterwards (sandbox/protected_placeholders.h). In overlay mode
// creations land in the layer, whose apply refuses protected paths, so nothing is created there.
bool protect_missing(int workspace, const std::string& path, ChildFailure& failure) {
  struct statfs workspace_fs {};
  if (::fstatfs(workspace, &workspace_fs) == 0 && workspace_fs.f_type == OVERLAYFS_SUPER_MAGIC) return true;
  const auto slash = path.rfind('/');
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  UniqueFd parent(slash == std::string::npos
                      ? ::fcntl(workspace, F_DUPFD_CLOEXEC, 0)
                      : openat2_path(workspace, path.substr(0, slash).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC,
                                     RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS));
  // A missing parent folder is itself unprotected only when it is not a protected path; the top-level
  // names (.git, .vscode, ...) get their own placeholder.
  if (!parent) return true;
  if (::mkdirat(parent.get(), name.c_str(), 0555) != 0) {
    // Where the sandbox user cannot create the folder, the program cannot either.
    if (errno == EEXIST || errno == EROFS || errno == EACCES || errno == EPERM) return true;
    return fail(failure, errno, "mkdirat", "placing an empty read-only %s in the workspace", path.c_str());
  }
  UniqueFd entry(::openat(parent.get(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!entry) return fail(failure, errno, "openat", "protecting %s", path.c_str());
  return bind_read_only_in_place(entry.get(), path.c_str(), failure);
}

// The protected entry is opened beneath the workspace without leaving it, so a symlink planted by an earlier
// run cannot redirect the bind to a host path; an entry that points outside has nothing to protect.
bool protect(const RootOp& op, ChildFailure& failure) {
  ChildPath root;
  if (!join(root, kNewRoot, op.target, failure)) return false;
  UniqueFd base(::open(root.text, O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!base) return fail(failure, errno, "open", "protecting %s in %s", op.data.c_str(), op.target.c_str());
  UniqueFd entry(openat2_path(base.get(), op.data.c_str(), O_PATH | O_CLOEXEC,
                              RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS));
  if (!entry) {
    if (errno == ENOENT) return protect_missing(base.get(), op.data, failure);
    if (errno == ENOTDIR || errno == EXDEV || errno == ELOOP) return true;
    return fail(failure, errno, "openat2", "protecting %s in %s", op.data.c_str(), op.target.c_str());
  }
  return bind_read_only_in_place(entry.get(), op.data.c_str(), failure);
}

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t written = ::write(fd, data.data() + done, data.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    done += static_cast<std::size_t>(written);
  }
  return true;
}

bool write_file(const RootOp& op, ChildPath& target, ChildFailure& failure) {
  UniqueFd file;
  create_with_parents(target, [&] {
    file.reset(::open(target.text, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, op.mode));
    return file.valid();
  });
  if (!file) return fail(failure, errno, "open", "creating %s", op.target.c_str());
  if (!write_all(file.get(), op.data)) return fail(failure, errno, "write", "writing %s", op.target.c_str());
  if (::fchmod(file.get(), op.mode) != 0) return fail(failure, errno, "fchmod", "%s", op.target.c_str());
  return true;
}

bool mount_fresh(const char* type, ChildPath& target, unsigned long flags, const char* options,
                 ChildFailure& failure) {
  if (!make_mount_point(target, true, failure)) return false;
  if (::mount(type, target.text, type, flags, options) != 0) {
    return fail(failure, errno, "mount", "mounting %s on %s", type, target.text + std::strlen(kNewRoot));
  }
  return true;
}

}  // namespace

bool apply_root_op(const RootOp& op, ChildFailure& failure) {
  if (op.kind == RootOpKind::bind) return bind(op, failure);
  if (op.kind == RootOpKind::protect) return protect(op, failure);
  ChildPath target;
  if (!join(target, kNewRoot, op.target, failure)) return false;
  switch (op.kind) {
    case RootOpKind::make_dir:
      if (!make_dir(target, op.mode, failure)) return false;
      if (::chmod(target.text, op.mode) != 0) return fail(failure, errno, "chmod", "%s", op.target.c_str());
      return true;
    case RootOpKind::make_symlink:
      if (!create_with_parents(target, [&] { return ::symlink(op.data.c_str(), target.text) == 0; })) {
        return fail(failure, errno, "symlink", "%s -> %s", op.target.c_str(), op.data.c_str());
      }
      return true;
    case RootOpKind::write_file:
      return write_file(op, target, failure);
    case RootOpKind::mount_tmpfs:
      return mount_fresh("tmpfs", target, MS_NOSUID | MS_NODEV, op.data.c_str(), failure);
    case RootOpKind::mount_proc:
      if (mount_fresh("proc", target, MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr, failure)) return true;
      // The kernel refuses a new proc to a user namespace when the host's /proc has over-mounted entries.
      if (failure.error == EPERM) {
        return fail(failure, EPERM, "mount",
                    "mounting proc on /proc (the host's /proc has entries hidden by mounts, as container runtimes "
                    "do; the sandbox needs an unmasked /proc)");
      }
      return false;
    case RootOpKind::make_readonly: {
      mount_attr attr{};
      attr.attr_set = MOUNT_ATTR_RDONLY;
      if (::mount_setattr(AT_FDCWD, target.text, 0, &attr, sizeof attr) != 0) {
        return fail(failure, errno, "mount_setattr", "making %s read-only", op.target.c_str());
      }
      return true;
    }
    case RootOpKind::mount_overlay:
    case RootOpKind::mount_readonly_view:
      return fail(failure, EINVAL, "apply_root_op", "a workspace overlay is mounted by overlay_mount.h");
    case RootOpKind::bind:
    case RootOpKind::protect:
      break;
  }
  return true;
}

}  // namespace airlock::sandbox::linux_backend
