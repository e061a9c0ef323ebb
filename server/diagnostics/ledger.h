#pragma once

// What has been published, so that a later run of the same source replaces its diagnostics and a clean run
// clears them. publishDiagnostics replaces a document's whole list, so when two sources (say two files that
// both import a broken module) report on the same document, each publish carries what every source holds.

#include <map>
#include <string>
#include <vector>

#include "protocol/messages.h"
#include "server/diagnostics/mapper.h"

namespace airlock::server::diagnostics {

class DiagnosticsLedger {
 public:
  // Records `diagnostics` as the latest of `source_key` (a snippet run's source.uri, a file run's file) and
  // returns the notifications to send: one per document this run or the previous run of the same key
  // reported on, an empty list where nothing is left to show.
  std::vector<protocol::PublishDiagnosticsParams> replace(const std::string& source_key, DiagnosticsByUri diagnostics);

 private:
  std::vector<protocol::Diagnostic> everything_on(const std::string& uri) const;

  std::map<std::string, DiagnosticsByUri> by_source_;  // only sources with something to show
};

}  // namespace airlock::server::diagnostics
