// io_uring performs system calls from kernel threads, out of reach of a system call filter, and has been
// a steady source of kernel exploits: sets up a ring.
#include "verdict.h"

#include <linux/io_uring.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  struct io_uring_params params = {0};
  verdict_of("setup", syscall(SYS_io_uring_setup, 8, &params));
  return 0;
}
