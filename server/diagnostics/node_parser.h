#pragma once

// Node.js (20) uncaught errors, CommonJS and ES modules: the `file:line` header with the source line and a
// caret that Node prints for an uncaught error (the only location of a SyntaxError), the `Name: message`
// line, and the V8 stack frames `at fn (file:line:col)` / `at file:line:col`. ES module paths are file://
// URLs and are returned as paths.
//
// Columns count UTF-16 code units from the line's start (V8 positions index the UTF-16 source), both in
// stack frames and under the header's caret.

#include <string_view>
#include <vector>

#include "server/diagnostics/finding.h"

namespace airlock::server::diagnostics::node {

// One finding per printed error; frames are the header's location (unless the top stack frame is on the
// same line) then the stack, innermost first.
std::vector<Finding> parse(std::string_view output);

}  // namespace airlock::server::diagnostics::node
