// Looks for descriptors it did not open: a directory of the host would let it openat() anything on the
// host, a file or socket would leak its content. Lists every descriptor above the standard three and tries
// to reach the host's /etc through each.
#include "verdict.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void) {
  struct rlimit files;
  getrlimit(RLIMIT_NOFILE, &files);
  int found = 0;
  for (int fd = 3; fd < (int)files.rlim_cur; ++fd) {
    if (fcntl(fd, F_GETFD) < 0) continue;
    char link[64], target[256] = "", probe[32], outcome[320];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    readlink(link, target, sizeof target - 1);
    int through = openat(fd, "etc/passwd", O_RDONLY);
    snprintf(probe, sizeof probe, "fd-%d", fd);
    snprintf(outcome, sizeof outcome, "ESCAPED:%s%s", target, through >= 0 ? ":reaches-host-etc" : "");
    verdict(probe, outcome);
    ++found;
  }
  if (found == 0) verdict("inherited-fds", "none");
  return 0;
}
