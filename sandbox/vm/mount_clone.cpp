#include "sandbox/vm/mount_clone.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include "sandbox/unique_fd.h"

namespace airlock::sandbox::vm {

bool bind_mount_clone(const char* source, const char* target, std::uint64_t attributes, const char*& failed_call) {
  UniqueFd tree(::open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
  if (!tree) {
    failed_call = "open_tree";
    return false;
  }
  mount_attr attr{};
  attr.attr_set = attributes;
  if (attributes != 0 && ::mount_setattr(tree.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0) {
    failed_call = "mount_setattr";
    return false;
  }
  if (::move_mount(tree.get(), "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) != 0) {
    failed_call = "move_mount";
    return false;
  }
  return true;
}

}  // namespace airlock::sandbox::vm
