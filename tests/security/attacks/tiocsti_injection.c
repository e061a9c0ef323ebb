// Pushes a command into the input of any terminal it can find (TIOCSTI), so that the user's shell would
// run it after the sandbox ends: its standard streams, every other descriptor it holds, and /dev/tty.
#include "verdict.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

static long inject(int fd) {
  for (const char *c = "id\n"; *c; ++c) {
    if (ioctl(fd, TIOCSTI, c) != 0) return -1;
  }
  return 0;
}

int main(void) {
  verdict_of("stdin", inject(0));
  verdict_of("stdout", inject(1));
  verdict_of("stderr", inject(2));
  verdict_of("/dev/tty", open("/dev/tty", O_RDWR));
  struct rlimit files;
  getrlimit(RLIMIT_NOFILE, &files);
  int terminals = 0;
  for (int fd = 3; fd < (int)files.rlim_cur; ++fd) {
    if (isatty(fd)) {
      ++terminals;
      char probe[32];
      snprintf(probe, sizeof probe, "fd-%d", fd);
      verdict_of(probe, inject(fd));
    }
  }
  if (terminals == 0) verdict("other-terminals", "none");
  return 0;
}
