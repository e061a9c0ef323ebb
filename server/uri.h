#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace airlock::server {

// How the host names files: POSIX paths, or Windows paths (C:\a, \\server\share\a; sandbox/windows/windows_path.h).
enum class PathStyle { posix, windows };
#ifdef _WIN32
inline constexpr PathStyle kHostPathStyle = PathStyle::windows;
#else
inline constexpr PathStyle kHostPathStyle = PathStyle::posix;
#endif

// posix: file:///a%20b -> /a b; nullopt for other schemes, remote authorities and bad escapes.
// windows: file:///C:/a%20b and VS Code's file:///c%3A/a%20b -> C:\a b, file://server/share/a -> \\server\share\a;
// nullopt for anything that is not an absolute Windows path once decoded.
std::optional<std::string> file_uri_to_path(std::string_view uri, PathStyle style = kHostPathStyle);
// posix: /a b -> file:///a%20b (RFC 3986 percent-encoding, as VS Code produces it).
// windows: C:\a b -> file:///C:/a%20b, \\server\share\a -> file://server/share/a; text that is not an absolute
// Windows path is encoded as posix does.
std::string path_to_file_uri(std::string_view absolute_path, PathStyle style = kHostPathStyle);

}  // namespace airlock::server
