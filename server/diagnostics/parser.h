#pragma once

// The one shape every parser has: a pure function of a tool's output text. Parsers never throw, never read
// files and accept any bytes, so each can be fed to a fuzzer as is. A new language is one parser file and
// one line in registry.cpp.

#include <string_view>
#include <vector>

#include "server/diagnostics/finding.h"

namespace airlock::server::diagnostics {

using ParseFunction = std::vector<Finding> (*)(std::string_view output);

}  // namespace airlock::server::diagnostics
