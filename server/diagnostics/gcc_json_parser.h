#pragma once

// gcc's -fdiagnostics-format=json (GCC 12): each compiler run prints one line holding a JSON array of
// diagnostics {kind, message, option, locations[{caret, start, finish}], children[...]}. Notes among the
// children become related frames; an error or warning among them becomes a finding of its own, as gcc's
// text form prints it. Lines that are not such an array (the program's own output) are skipped.
//
// Columns: "byte-column", UTF-8 bytes from the line's start, whatever -fdiagnostics-column-unit says.

#include <string_view>
#include <vector>

#include "server/diagnostics/finding.h"

namespace airlock::server::diagnostics::gcc_json {

std::vector<Finding> parse(std::string_view output);

}  // namespace airlock::server::diagnostics::gcc_json
