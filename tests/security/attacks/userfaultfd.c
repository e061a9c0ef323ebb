// userfaultfd lets a program pause the kernel in the middle of a copy from user memory, the usual way to
// win a kernel race: opens one by system call and through its device.
#include "verdict.h"

#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  verdict_of("syscall", syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY));
  verdict_of("device", open("/dev/userfaultfd", O_RDWR));
  return 0;
}
