#include "server/diagnostics_publisher.h"

#include "server/run.h"

namespace airlock::server {

// Filled in when the diagnostics parsers land (server/diagnostics/).
struct DiagnosticsPublisher::State {};

DiagnosticsPublisher::DiagnosticsPublisher() : state_(std::make_unique<State>()) {}
DiagnosticsPublisher::~DiagnosticsPublisher() = default;

void DiagnosticsPublisher::after_run(const Run&, const protocol::RunResult&, Transport&) {}

}  // namespace airlock::server
