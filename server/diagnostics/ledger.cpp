#include "server/diagnostics/ledger.h"

#include <set>

namespace airlock::server::diagnostics {

std::vector<protocol::PublishDiagnosticsParams> DiagnosticsLedger::replace(const std::string& source_key,
                                                                            DiagnosticsByUri diagnostics) {
  std::set<std::string> touched;
  if (auto previous = by_source_.find(source_key); previous != by_source_.end()) {
    for (const auto& [uri, list] : previous->second) touched.insert(uri);
    by_source_.erase(previous);
  }
  std::erase_if(diagnostics, [](const auto& entry) { return entry.second.empty(); });
  for (const auto& [uri, list] : diagnostics) touched.insert(uri);
  if (!diagnostics.empty()) by_source_.emplace(source_key, std::move(diagnostics));

  std::vector<protocol::PublishDiagnosticsParams> notifications;
  for (const std::string& uri : touched)
    notifications.push_back(protocol::PublishDiagnosticsParams{.uri = uri, .diagnostics = everything_on(uri)});
  return notifications;
}

std::vector<protocol::Diagnostic> DiagnosticsLedger::everything_on(const std::string& uri) const {
  std::vector<protocol::Diagnostic> all;
  for (const auto& [source_key, by_uri] : by_source_)
    if (auto found = by_uri.find(uri); found != by_uri.end()) all.insert(all.end(), found->second.begin(), found->second.end());
  return all;
}

}  // namespace airlock::server::diagnostics
