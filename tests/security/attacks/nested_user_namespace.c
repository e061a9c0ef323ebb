// A user namespace of its own gives the program every capability inside it, and with them the kernel's
// namespaced code paths, a rich source of exploits: creates one by unshare and by clone.
#include "verdict.h"

#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char stack[65536];
static int child(void *unused) { return 0; }

int main(void) {
  pid_t pid = clone(child, stack + sizeof stack, CLONE_NEWUSER | SIGCHLD, NULL);
  verdict_of("clone-newuser", pid);
  if (pid > 0) waitpid(pid, NULL, 0);
  verdict_of("unshare-newuser", unshare(CLONE_NEWUSER));
  return 0;
}
