#include "server/uri.h"

#include <cctype>

#include "sandbox/windows/windows_path.h"

namespace airlock::server {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved_in_path(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

}  // namespace

std::optional<std::string> file_uri_to_path(std::string_view uri, PathStyle style) {
  if (style == PathStyle::windows) {
    const auto path = sandbox::windows::WindowsPath::from_file_uri(uri);
    return path ? std::optional<std::string>(path->str()) : std::nullopt;
  }
  constexpr std::string_view scheme = "file://";
  if (uri.size() < scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(uri[i])) != scheme[i]) return std::nullopt;
  uri.remove_prefix(scheme.size());
  // Only local files: an empty authority or "localhost".
  if (uri.starts_with("localhost/")) uri.remove_prefix(std::string_view("localhost").size());
  if (!uri.starts_with('/')) return std::nullopt;
  if (auto query = uri.find_first_of("?#"); query != std::string_view::npos) uri = uri.substr(0, query);

  std::string path;
  path.reserve(uri.size());
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] != '%') {
      path.push_back(uri[i]);
      continue;
    }
    if (i + 2 >= uri.size()) return std::nullopt;
    int high = hex_value(uri[i + 1]), low = hex_value(uri[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    char decoded = static_cast<char>(high * 16 + low);
    if (decoded == '\0') return std::nullopt;
    path.push_back(decoded);
    i += 2;
  }
  return path;
}

std::string path_to_file_uri(std::string_view absolute_path, PathStyle style) {
  if (style == PathStyle::windows)
    if (const auto path = sandbox::windows::WindowsPath::parse(absolute_path)) return path->file_uri();
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file://";
  for (unsigned char c : absolute_path) {
    if (is_unreserved_in_path(c)) {
      uri.push_back(static_cast<char>(c));
    } else {
      uri.push_back('%');
      uri.push_back(kHex[c >> 4]);
      uri.push_back(kHex[c & 15]);
    }
  }
  return uri;
}

}  // namespace airlock::server
