// Reads a root-only file (0600) that sits in the bound workspace: directly, by reopening an O_PATH
// descriptor through /proc, by loosening its mode, and through a hard link of its own (the workspace is
// writable).
#include "verdict.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *secret = argc > 1 ? argv[1] : "secret.txt";
  char buffer[64];

  int fd = open(secret, O_RDONLY);
  verdict_of("open-read", fd < 0 ? -1 : read(fd, buffer, sizeof buffer));

  int path_fd = open(secret, O_PATH);
  if (path_fd < 0) {
    verdict_of("reopen-o-path", -1);
  } else {
    char reopen[64];
    snprintf(reopen, sizeof reopen, "/proc/self/fd/%d", path_fd);
    int reopened = open(reopen, O_RDONLY);
    verdict_of("reopen-o-path", reopened < 0 ? -1 : read(reopened, buffer, sizeof buffer));
  }

  verdict_of("chmod", chmod(secret, 0644));
  if (link(secret, "secret-link") != 0) {
    verdict_of("hardlink-then-read", -1);
  } else {
    fd = open("secret-link", O_RDONLY);
    verdict_of("hardlink-then-read", fd < 0 ? -1 : read(fd, buffer, sizeof buffer));
    unlink("secret-link");
  }
  return 0;
}
