#pragma once

#include <optional>
#include <string>

namespace airlock::server {

// Logs go to stderr, or to `log_file`; never to stdout, which carries the protocol.
// Throws std::runtime_error when the file cannot be opened or the level is unknown.
void configure_logging(const std::optional<std::string>& log_file, const std::string& level);

}  // namespace airlock::server
