#pragma once

// Which parsers read the output of a run in a given language ("python", "javascript", "bash", "sh", "c",
// "cpp"). A language without parsers yields no findings.

#include <span>
#include <string_view>
#include <vector>

#include "server/diagnostics/finding.h"
#include "server/diagnostics/parser.h"

namespace airlock::server::diagnostics {

std::span<const ParseFunction> parsers_for(std::string_view language);

// Every parser of `language` over `output`, their findings in parser order.
std::vector<Finding> parse_output(std::string_view language, std::string_view output);

}  // namespace airlock::server::diagnostics
