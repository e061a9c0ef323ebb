#include "server/diagnostics_publisher.h"

#include "protocol/jsonrpc.h"
#include "server/diagnostics/diagnostics.h"
#include "server/run.h"
#include "server/uri.h"

namespace airlock::server {

struct DiagnosticsPublisher::State {
  diagnostics::DiagnosticsLedger ledger;
};

DiagnosticsPublisher::DiagnosticsPublisher() : state_(std::make_unique<State>()) {}
DiagnosticsPublisher::~DiagnosticsPublisher() = default;

void DiagnosticsPublisher::after_run(const Run& run, const protocol::RunResult& result, Transport& transport) {
  const RunPlan& plan = run.plan();
  // Runs that never ran the program (cancelled while queued, no sandbox) say nothing about the code.
  if (plan.language.empty() || !run.started() || result.status == protocol::RunStatus::cancelled) return;
  const bool snippet = plan.snippet;
  // A snippet without a source has no document to show its errors on.
  if (snippet && !plan.source) return;
  const std::string source_key = snippet ? plan.source->uri : path_to_file_uri(plan.program_path);

  const std::string workspace = plan.spec.policy.workspace.string();
  diagnostics::MappingContext context{
      .snippet_path = snippet ? plan.program_path : std::string(),
      .snippet_text = plan.snippet_code,
      .source = plan.source,
      .workspace_path = workspace,
      .workspace_uri = plan.workspace_uri,
      .working_directory = plan.spec.cwd,
      .read_workspace_file = [workspace](const std::string& relative) {
        return diagnostics::read_workspace_file(workspace, relative);
      },
  };
  auto found = diagnostics::diagnostics_from_output(plan.language, run.captured_stderr(), context);
  for (auto& params : state_->ledger.replace(source_key, std::move(found)))
    transport.send(protocol::make_notification(protocol::method::publish_diagnostics, params));
}

}  // namespace airlock::server
