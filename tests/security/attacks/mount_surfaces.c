// Changes the sandbox's mounts to reach the host: mounts a filesystem, remounts the read-only workspace
// writable, detaches it to uncover what lies beneath, clones the tree, pivots and chroots, with the old and
// the new mount API.
#include "verdict.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  char workspace[4096];
  getcwd(workspace, sizeof workspace);
  mkdir("/tmp/mnt", 0755);
  verdict_of("mount-tmpfs", mount("none", "/tmp/mnt", "tmpfs", 0, NULL));
  verdict_of("remount-workspace-rw", mount(NULL, workspace, NULL, MS_REMOUNT | MS_BIND, NULL));
  verdict_of("bind-root", mount("/", "/tmp/mnt", NULL, MS_BIND | MS_REC, NULL));
  verdict_of("umount-workspace", umount2(workspace, MNT_DETACH));
  verdict_of("umount-proc", umount2("/proc", MNT_DETACH));
  verdict_of("fsopen", fsopen("tmpfs", 0));
  verdict_of("open-tree-clone", open_tree(AT_FDCWD, "/", OPEN_TREE_CLONE | AT_RECURSIVE));
  verdict_of("pivot-root", syscall(SYS_pivot_root, "/tmp", "/tmp/mnt"));
  verdict_of("chroot", chroot("/tmp"));
  verdict_of("unshare-mount-namespace", unshare(CLONE_NEWNS));
  return 0;
}
