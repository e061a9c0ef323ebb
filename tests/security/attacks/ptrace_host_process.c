// Takes over another process: ptrace, process_vm_readv/writev and /proc/<pid>/mem on a host process of
// the sandbox's own user and on the sandbox's init, which the server started (argv: the host pid).
#include "verdict.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

static void take_over(const char *who, pid_t pid) {
  char probe[64], path[64], buffer[16] = "";
  struct iovec local = {buffer, sizeof buffer}, remote = {(void *)0x400000, sizeof buffer};

  snprintf(probe, sizeof probe, "ptrace-attach:%s", who);
  verdict_of(probe, ptrace(PTRACE_ATTACH, pid, 0, 0));
  snprintf(probe, sizeof probe, "ptrace-seize:%s", who);
  verdict_of(probe, ptrace(PTRACE_SEIZE, pid, 0, 0));
  snprintf(probe, sizeof probe, "vm-read:%s", who);
  verdict_of(probe, process_vm_readv(pid, &local, 1, &remote, 1, 0));
  snprintf(probe, sizeof probe, "vm-write:%s", who);
  verdict_of(probe, process_vm_writev(pid, &local, 1, &remote, 1, 0));
  snprintf(probe, sizeof probe, "proc-mem:%s", who);
  snprintf(path, sizeof path, "/proc/%d/mem", pid);
  verdict_of(probe, open(path, O_RDWR));
}

int main(int argc, char **argv) {
  take_over("host", (pid_t)atoi(argv[1]));
  take_over("init", 1);
  return 0;
}
