#include "server/platform/signals.h"

#include <csignal>

namespace airlock::server::platform {

// Windows has no SIGPIPE: a write to a closed pipe fails with ERROR_NO_DATA, which the streams report.
void ignore_broken_pipe_signal() {}

// The C runtime raises SIGINT for Ctrl+C and SIGBREAK for Ctrl+Break and for the console window being closed.
void add_termination_signals(boost::asio::signal_set& signals) {
  signals.add(SIGTERM);
  signals.add(SIGINT);
  signals.add(SIGBREAK);
}

// No Windows backend reports a program ended by a signal (a terminated process has an exit code); the number is
// all there is to name.
std::string signal_name(int signal) { return "signal " + std::to_string(signal); }

}  // namespace airlock::server::platform
