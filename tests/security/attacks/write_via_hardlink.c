// Hard-links host files into the writable workspace to write them from there: a file next to the
// workspace, system files, and files of the sandbox's own /tmp (argv: the file next to the workspace).
#include "verdict.h"

#include <fcntl.h>
#include <unistd.h>

static void write_through_link(const char *probe, const char *target, const char *link_name) {
  if (link(target, link_name) != 0) {
    verdict_of(probe, -1);
    return;
  }
  int fd = open(link_name, O_WRONLY | O_APPEND);
  verdict_of(probe, fd < 0 ? -1 : write(fd, "escaped\n", 8));
}

int main(int argc, char **argv) {
  write_through_link("link-canary", argv[1], "canary-link");
  write_through_link("link-passwd", "/etc/passwd", "passwd-link");
  write_through_link("link-python", "/usr/bin/python3", "python-link");

  int tmp = open("/tmp/private", O_WRONLY | O_CREAT, 0644);
  close(tmp);
  write_through_link("link-private-tmp", "/tmp/private", "tmp-link");

  // An unnamed file of /tmp given a name in the workspace: crosses mounts just the same.
  int unnamed = open("/tmp", O_TMPFILE | O_WRONLY, 0644);
  char fd_path[64];
  snprintf(fd_path, sizeof fd_path, "/proc/self/fd/%d", unnamed);
  verdict_of("linkat-tmpfile", unnamed < 0 ? -1 : linkat(AT_FDCWD, fd_path, AT_FDCWD, "tmpfile-link", AT_SYMLINK_FOLLOW));
  return 0;
}
