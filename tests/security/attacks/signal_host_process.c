// Signals a host process that belongs to the sandbox's own user, by pid, by process group, through a
// pidfd, and by broadcasting to every process it may signal; renices every process of its user
// (argv: the host process's pid).
#include "verdict.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  pid_t host = (pid_t)atoi(argv[1]);
  verdict_of("kill-pid-probe", kill(host, 0));
  verdict_of("kill-pid", kill(host, SIGKILL));
  verdict_of("kill-group", kill(-host, SIGKILL));
  verdict_of("pidfd-open", syscall(SYS_pidfd_open, host, 0));
  // Everything this user may signal, except init and the caller: nothing else lives in the sandbox.
  verdict_of("kill-everyone", kill(-1, SIGKILL));
  // Succeeds for the sandbox's own processes; the test checks the host process kept its priority.
  verdict("renice-own-user", setpriority(PRIO_USER, getuid(), 19) == 0 ? "done" : strerrorname_np(errno));
  return 0;
}
