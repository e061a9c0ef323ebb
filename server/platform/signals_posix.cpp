#include "server/platform/signals.h"

#include <signal.h>
#include <string.h>

namespace airlock::server::platform {

void ignore_broken_pipe_signal() { ::signal(SIGPIPE, SIG_IGN); }

void add_termination_signals(boost::asio::signal_set& signals) {
  signals.add(SIGTERM);
  signals.add(SIGINT);
  signals.add(SIGHUP);
}

std::string signal_name(int signal) {
  if (const char* abbrev = ::sigabbrev_np(signal)) return std::string("SIG") + abbrev;
  return "signal " + std::to_string(signal);
}

}  // namespace airlock::server::platform
