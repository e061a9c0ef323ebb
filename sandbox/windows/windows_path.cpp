#include "sandbox/windows/windows_path.h"

#include <algorithm>
#include <stdexcept>

namespace airlock::sandbox::windows {
namespace {

bool is_separator(char c) { return c == '\\' || c == '/'; }

char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_upper(x) == ascii_upper(y); });
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equal_ignoring_case(text.substr(0, prefix.size()), prefix);
}

std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || is_separator(text[i])) {
      if (i > start) parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool valid_component(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return false;
  if (name.back() == '.' || name.back() == ' ') return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || std::string_view("<>:\"|?*").find(c) != std::string_view::npos;
  });
}

bool append_components(std::string_view text, std::vector<std::string>& out) {
  for (const std::string_view part : split(text)) {
    if (!valid_component(part)) return false;
    out.emplace_back(part);
  }
  return true;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      c = ascii_lower(c);
      return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    };
    const int high = hex(text[i + 1]);
    const int low = hex(text[i + 2]);
    if (high < 0 || low < 0 || (high == 0 && low == 0)) return std::nullopt;
    decoded.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return decoded;
}

void percent_encode_component(std::string_view name, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            std::string_view("-._~").find(c) != std::string_view::npos;
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
}

std::string join(const std::vector<std::string>& parts, char separator) {
  std::string joined;
  for (const std::string& part : parts) {
    joined.push_back(separator);
    joined += part;
  }
  return joined;
}

}  // namespace

std::optional<WindowsPath> WindowsPath::parse(std::string_view text) {
  WindowsPath path;
  if (starts_with_ignoring_case(text, "\\\\?\\UNC\\")) {
    text.remove_prefix(8);
  } else if (text.starts_with("\\\\?\\")) {
    text.remove_prefix(4);
    if (text.size() < 2 || text[1] != ':') return std::nullopt;  // \\?\Volume{...} and other device namespaces
  } else if (text.size() >= 2 && is_separator(text[0]) && is_separator(text[1])) {
    if (text.size() > 2 && (text[2] == '.' || text[2] == '?')) return std::nullopt;  // \\.\device, //?/...
    text.remove_prefix(2);
  } else if (text.size() < 2 || text[1] != ':') {
    return std::nullopt;
  }

  if (text.size() >= 2 && text[1] == ':') {
    const char letter = ascii_upper(text[0]);
    if (letter < 'A' || letter > 'Z') return std::nullopt;
    if (text.size() > 2 && !is_separator(text[2])) return std::nullopt;  // C:relative is relative to C:'s cwd
    if (text.size() == 2) return std::nullopt;
    path.drive_ = letter;
    if (!append_components(text.substr(2), path.components_)) return std::nullopt;
    return path;
  }

  const auto parts = split(text);
  if (parts.size() < 2 || !valid_component(parts[0]) || !valid_component(parts[1])) return std::nullopt;
  path.server_ = parts[0];
  path.share_ = parts[1];
  for (std::size_t i = 2; i < parts.size(); ++i) {
    if (!valid_component(parts[i])) return std::nullopt;
    path.components_.emplace_back(parts[i]);
  }
  return path;
}

std::optional<WindowsPath> WindowsPath::from_file_uri(std::string_view uri) {
  if (!starts_with_ignoring_case(uri, "file://")) return std::nullopt;
  uri.remove_prefix(7);
  if (uri.find_first_of("?#") != std::string_view::npos) return std::nullopt;
  const std::size_t slash = uri.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view host = uri.substr(0, slash);
  const auto decoded = percent_decode(uri.substr(slash));
  if (!decoded) return std::nullopt;
  if (host.empty() || equal_ignoring_case(host, "localhost")) {
    // "/C:/a" -> "C:/a"; the decoded form must be a drive path, never a UNC one smuggled in as file:////server.
    if (decoded->size() < 3 || (*decoded)[2] != ':') return std::nullopt;
    return parse(std::string_view(*decoded).substr(1));
  }
  return parse("\\\\" + std::string(host) + *decoded);
}

std::string WindowsPath::str() const {
  if (is_unc()) return "\\\\" + server_ + "\\" + share_ + join(components_, '\\');
  std::string text{drive_, ':'};
  return components_.empty() ? text + "\\" : text + join(components_, '\\');
}

std::string WindowsPath::extended() const {
  if (is_unc()) return "\\\\?\\UNC\\" + server_ + "\\" + share_ + join(components_, '\\');
  return "\\\\?\\" + str();
}

std::string WindowsPath::file_uri() const {
  std::string uri = "file://";
  if (is_unc()) {
    uri += server_;
    uri.push_back('/');
    percent_encode_component(share_, uri);
  } else {
    uri += "/";
    uri.push_back(drive_);
    uri.push_back(':');
  }
  for (const std::string& part : components_) {
    uri.push_back('/');
    percent_encode_component(part, uri);
  }
  if (!is_unc() && components_.empty()) uri.push_back('/');
  return uri;
}

std::string WindowsPath::guest_path() const {
  std::string path = is_unc() ? "/mnt/unc/" + server_ + "/" + share_ : std::string("/mnt/") + ascii_lower(drive_);
  return path + join(components_, '/');
}

bool WindowsPath::contains(const WindowsPath& other) const {
  if (drive_ != other.drive_ || !equal_ignoring_case(server_, other.server_) ||
      !equal_ignoring_case(share_, other.share_) || other.components_.size() < components_.size())
    return false;
  return std::equal(components_.begin(), components_.end(), other.components_.begin(), equal_ignoring_case);
}

WindowsPath WindowsPath::child(std::string_view relative) const {
  WindowsPath path = *this;
  if (relative.empty() || is_separator(relative.front()) || !append_components(relative, path.components_))
    throw std::invalid_argument("\"" + std::string(relative) + "\" is not a plain relative path");
  return path;
}

std::optional<std::string> host_path_from_guest(std::string_view guest_path, const WindowsPath& workspace) {
  const std::string root = workspace.guest_path();
  if (!guest_path.starts_with(root)) return std::nullopt;
  std::string_view rest = guest_path.substr(root.size());
  if (rest.empty()) return workspace.str();
  if (rest.front() != '/') return std::nullopt;  // /mnt/c/src/app2 is not inside /mnt/c/src/app
  rest.remove_prefix(1);
  if (rest.empty()) return workspace.str();
  if (rest.find('\\') != std::string_view::npos) return std::nullopt;  // one guest name must stay one host name
  try {
    return workspace.child(rest).str();
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

}  // namespace airlock::sandbox::windows
