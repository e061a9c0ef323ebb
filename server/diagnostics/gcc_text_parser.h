#pragma once

// gcc and clang diagnostics in their default text form: `file:line:col: error|fatal error|warning|note: msg`.
// A note becomes a related frame of the error or warning before it; gcc's template context lines
// (`file:line:col:   required from here`) become related frames of the error after them. Source echoes,
// caret lines, "In function" and "In file included from" lines are skipped.
//
// Columns: gcc (11 and later) counts display columns by default (-fdiagnostics-column-unit=display: wide
// characters two, tabs to the next multiple of 8); clang counts UTF-8 bytes. Clang's output is recognised by
// its closing "N errors generated." line.

#include <string_view>
#include <vector>

#include "server/diagnostics/finding.h"

namespace airlock::server::diagnostics::gcc_text {

std::vector<Finding> parse(std::string_view output);

}  // namespace airlock::server::diagnostics::gcc_text
