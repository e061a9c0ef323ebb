#pragma once

// The entry point for the server: the diagnostics a run's output holds, mapped to the editor's documents.
// Publish them through a DiagnosticsLedger (ledger.h) so that later runs replace or clear them.

#include <string_view>

#include "server/diagnostics/ledger.h"
#include "server/diagnostics/mapper.h"
#include "server/diagnostics/workspace_file.h"

namespace airlock::server::diagnostics {

// `output` is what the run wrote to stderr (for C and C++ the compiler's output comes first); `language` names
// the parsers (registry.h).
DiagnosticsByUri diagnostics_from_output(std::string_view language, std::string_view output,
                                         const MappingContext& context);

}  // namespace airlock::server::diagnostics
