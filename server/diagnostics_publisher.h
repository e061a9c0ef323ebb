#pragma once

#include <memory>

#include "protocol/messages.h"
#include "server/transport.h"

namespace airlock::server {

class Run;

// Turns a finished run's errors into textDocument/publishDiagnostics, replacing (or clearing) what the
// previous run of the same source published.
class DiagnosticsPublisher {
 public:
  DiagnosticsPublisher();
  ~DiagnosticsPublisher();
  void after_run(const Run& run, const protocol::RunResult& result, Transport& transport);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace airlock::server
