#include "sandbox/windows/guid_text.h"

#include <cctype>
#include <charconv>

namespace airlock::sandbox::windows {
namespace {

template <typename Unsigned>
bool hex_field(std::string_view text, Unsigned& value) {
  std::uint64_t parsed = 0;
  for (char c : text)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed, 16);
  if (error != std::errc() || end != text.data() + text.size()) return false;
  value = static_cast<Unsigned>(parsed);
  return true;
}

}  // namespace

std::optional<GuidFields> parse_guid(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') return std::nullopt;
  GuidFields guid;
  std::uint16_t clock = 0;
  if (!hex_field(text.substr(0, 8), guid.data1) || !hex_field(text.substr(9, 4), guid.data2) ||
      !hex_field(text.substr(14, 4), guid.data3) || !hex_field(text.substr(19, 4), clock))
    return std::nullopt;
  guid.data4[0] = static_cast<std::uint8_t>(clock >> 8);
  guid.data4[1] = static_cast<std::uint8_t>(clock & 0xff);
  for (std::size_t i = 0; i < 6; ++i)
    if (!hex_field(text.substr(24 + 2 * i, 2), guid.data4[2 + i])) return std::nullopt;
  return guid;
}

}  // namespace airlock::sandbox::windows
