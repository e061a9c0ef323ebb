// Connects to a unix socket in the host's filesystem, outside the workspace: by its path, and through the
// /proc magic link to the sandbox's root (argv: the socket's path).
#include "verdict.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void connect_to(const char *probe, const char *path) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  snprintf(address.sun_path, sizeof address.sun_path, "%s", path);
  verdict_of(probe, connect(s, (struct sockaddr *)&address, sizeof address));
  close(s);
}

int main(int argc, char **argv) {
  char through_proc[108];
  connect_to("by-path", argv[1]);
  snprintf(through_proc, sizeof through_proc, "/proc/self/root%s", argv[1]);
  connect_to("through-proc-root", through_proc);
  return 0;
}
