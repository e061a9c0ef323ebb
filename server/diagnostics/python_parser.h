#pragma once

// CPython 3.11's uncaught-exception tracebacks, SyntaxError/IndentationError reports and warnings.
//
// Columns: the carets under a traceback frame's source line count code points; those under a SyntaxError's
// line count UTF-8 bytes (3.11's C error printer uses the parser's byte offset). Both count from the first
// character of the printed line, which is the source line without its indentation.

#include <string_view>
#include <vector>

#include "server/diagnostics/finding.h"

namespace airlock::server::diagnostics::python {

// One finding per exception that ended a traceback (for chained exceptions only the last, the one that was
// raised) and per warning. A traceback's frames come innermost first; a SyntaxError's location comes first.
std::vector<Finding> parse(std::string_view output);

}  // namespace airlock::server::diagnostics::python
