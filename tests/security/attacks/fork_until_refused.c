// Forks children that wait, until the kernel refuses one; reports how many it got and why it stopped.
#include "verdict.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

// A bound well above any process limit a run gets here, so that a missing limit ends as an escape, not a bomb.
enum { kMostChildren = 4096 };

int main(void) {
  static pid_t children[kMostChildren];
  int count = 0;
  pid_t pid;
  while (count < kMostChildren && (pid = fork()) >= 0) {
    if (pid == 0) {
      pause();
      _exit(0);
    }
    children[count++] = pid;
  }
  verdict_of("fork", count < kMostChildren ? -1 : 0);
  char text[16];
  snprintf(text, sizeof text, "%d", count);
  verdict("children", text);
  for (int i = 0; i < count; ++i) kill(children[i], SIGKILL);
  while (wait(NULL) > 0) {
  }
  return 0;
}
