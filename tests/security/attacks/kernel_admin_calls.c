// The system calls that administer the whole machine, each made harmless should it succeed (current time,
// no-op reboot command, invalid module): modules, kexec, reboot, swap, clock, I/O ports, kernel log,
// accounting, device nodes, host and domain names.
#include "verdict.h"

#include <fcntl.h>
#include <linux/reboot.h>
#include <sys/io.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  verdict_of("init-module", syscall(SYS_init_module, "", 0, ""));
  int null_fd = open("/dev/null", O_RDONLY);
  verdict_of("finit-module", syscall(SYS_finit_module, null_fd, "", 0));
  verdict_of("delete-module", syscall(SYS_delete_module, "airlock_escape", 0));
  verdict_of("kexec-load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
  verdict_of("reboot", syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_OFF, NULL));
  int swap_fd = open("/tmp/swapfile", O_WRONLY | O_CREAT, 0600);
  close(swap_fd);
  verdict_of("swapon", swapon("/tmp/swapfile", 0));
  struct timeval now;
  gettimeofday(&now, NULL);
  verdict_of("settimeofday", settimeofday(&now, NULL));
  struct timespec clock_now;
  clock_gettime(CLOCK_REALTIME, &clock_now);
  verdict_of("clock-settime", clock_settime(CLOCK_REALTIME, &clock_now));
  verdict_of("iopl", iopl(3));
  verdict_of("ioperm", ioperm(0x80, 1, 1));
  char log[64];
  verdict_of("read-kernel-log", klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof log));
  verdict_of("acct", acct("/tmp/accounting"));
  verdict_of("mknod-block", mknod("/tmp/disk", S_IFBLK | 0600, makedev(8, 0)));
  verdict_of("mknod-char", mknod("/tmp/mem", S_IFCHR | 0600, makedev(1, 1)));
  verdict_of("sethostname", sethostname("escaped", 7));
  verdict_of("setdomainname", setdomainname("escaped", 7));
  return 0;
}
