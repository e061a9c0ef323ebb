#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace airlock::server {

// file:///a%20b -> /a b. Returns nullopt for other schemes, remote authorities and bad escapes.
std::optional<std::string> file_uri_to_path(std::string_view uri);
// /a b -> file:///a%20b (RFC 3986 percent-encoding, as VS Code produces it).
std::string path_to_file_uri(std::string_view absolute_path);

}  // namespace airlock::server
