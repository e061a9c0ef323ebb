#pragma once

// The init is a copy of the server: it inherits the server's signal handlers (server code that must never run
// in the sandbox), its blocked signals and its ignored ones (e.g. SIGPIPE, which exec keeps ignored and which
// would change how the program behaves). Every disposition goes back to default and nothing stays blocked.

namespace airlock::sandbox::linux_backend {

void reset_signal_handling();

}  // namespace airlock::sandbox::linux_backend
