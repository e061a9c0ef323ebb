#pragma once

// Standard base64 (RFC 4648, with padding), for file contents that are not valid UTF-8 and so cannot travel as
// JSON text.

#include <string>
#include <string_view>

namespace airlock::server::overlay {

std::string base64_encode(std::string_view bytes);

}  // namespace airlock::server::overlay
