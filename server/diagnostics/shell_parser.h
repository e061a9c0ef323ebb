#pragma once

// bash and dash error lines. bash: `file: line N: message`, and `file: -c: line N: message` when the script
// runs as `bash -c <text> <file>`; a syntax error's second line (`file: line N: `text'`) only echoes the text
// and is skipped. dash: `file: N: message`. bash's `warning: ` prefix makes a warning. No columns.

#include <string_view>
#include <vector>

#include "server/diagnostics/finding.h"

namespace airlock::server::diagnostics::shell {

std::vector<Finding> parse(std::string_view output);

}  // namespace airlock::server::diagnostics::shell
