// Spins on every CPU with two processes that ignore SIGXCPU, the signal a CPU time limit sends first.
#include <signal.h>
#include <unistd.h>

int main(void) {
  signal(SIGXCPU, SIG_IGN);
  fork();
  for (volatile unsigned long spin = 0;; ++spin) {
  }
}
