// The textbook daemon: fork, new session, fork again so that it can never regain a terminal, ignore the
// signals that end a session, leave the working directory, close the standard streams; the original
// process ends at once (argv: the sleep's length in seconds, which doubles as a marker the host can find).
#include "verdict.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int started[2];
  pipe(started);
  pid_t first = fork();
  if (first == 0) {
    setsid();
    if (fork() != 0) _exit(0);
    signal(SIGHUP, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    chdir("/");
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    write(started[1], "1", 1);
    execl("/bin/sleep", "sleep", argv[1], (char *)NULL);
    _exit(127);
  }
  waitpid(first, NULL, 0);
  char byte;
  verdict("daemon", read(started[0], &byte, 1) == 1 ? "started" : "not-started");
  return 0;
}
