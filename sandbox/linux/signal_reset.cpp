#include "sandbox/linux/signal_reset.h"

#include <csignal>

namespace airlock::sandbox::linux_backend {

void reset_signal_handling() {
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int signal = 1; signal < NSIG; ++signal) {
    // SIGKILL, SIGSTOP and the C library's reserved real-time signals refuse; they have nothing to reset.
    ::sigaction(signal, &default_action, nullptr);
  }
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

}  // namespace airlock::sandbox::linux_backend
