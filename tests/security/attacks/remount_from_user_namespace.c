// With root inside a nested user and mount namespace, tries to undo the sandbox's mounts: remount the
// read-only workspace and root writable, detach the workspace, mount a fresh /proc, and read a root-only
// file of the workspace as the nested root (argv: that file, relative to the workspace).
#include "verdict.h"

#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

static void write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY);
  if (fd >= 0) {
    write(fd, text, strlen(text));
    close(fd);
  }
}

int main(int argc, char **argv) {
  char workspace[4096], map[64], buffer[64];
  getcwd(workspace, sizeof workspace);
  uid_t uid = getuid();
  gid_t gid = getgid();
  if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
    verdict_of("unshare", -1);
    return 0;
  }
  verdict("unshare", "done");
  write_file("/proc/self/setgroups", "deny");
  snprintf(map, sizeof map, "0 %u 1", uid);
  write_file("/proc/self/uid_map", map);
  snprintf(map, sizeof map, "0 %u 1", gid);
  write_file("/proc/self/gid_map", map);

  verdict_of("remount-workspace-rw", mount(NULL, workspace, NULL, MS_REMOUNT | MS_BIND, NULL));
  verdict_of("remount-root-rw", mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL));
  verdict_of("umount-workspace", umount2(workspace, MNT_DETACH));
  verdict_of("mount-proc", mount("proc", "/tmp", "proc", 0, NULL));
  int fd = open("escaped", O_WRONLY | O_CREAT, 0644);
  verdict_of("write-workspace", fd);
  fd = open(argv[1], O_RDONLY);
  verdict_of("read-root-only-file", fd < 0 ? -1 : read(fd, buffer, sizeof buffer));
  return 0;
}
