#include "server/diagnostics/diagnostics.h"

#include "server/diagnostics/registry.h"

namespace airlock::server::diagnostics {

DiagnosticsByUri diagnostics_from_output(std::string_view language, std::string_view output,
                                         const MappingContext& context) {
  return map_findings(parse_output(language, output), context);
}

}  // namespace airlock::server::diagnostics
