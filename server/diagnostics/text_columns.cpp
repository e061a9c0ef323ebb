#include "server/diagnostics/text_columns.h"

#include <algorithm>

#include "server/diagnostics/display_width.h"

namespace airlock::server::diagnostics {
namespace {

constexpr char32_t kReplacementCharacter = 0xFFFD;
// gcc's default -ftabstop.
constexpr std::int64_t kTabStop = 8;

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

bool is_identifier_character(char32_t code_point) {
  return code_point >= 0x80 || code_point == '_' || code_point == '$' || (code_point >= '0' && code_point <= '9') ||
         (code_point >= 'a' && code_point <= 'z') || (code_point >= 'A' && code_point <= 'Z');
}

// How many `unit`s `decoded` takes when it stands `from_line_start` units after the line's start (tabs need it).
std::int64_t units_of(const DecodedCharacter& decoded, ColumnUnit unit, std::int64_t from_line_start) {
  switch (unit) {
    case ColumnUnit::utf8_bytes:
      return static_cast<std::int64_t>(decoded.length);
    case ColumnUnit::code_points:
      return 1;
    case ColumnUnit::utf16_code_units:
      return decoded.code_point > 0xFFFF ? 2 : 1;
    case ColumnUnit::display_columns:
      return decoded.code_point == '\t' ? kTabStop - from_line_start % kTabStop : display_width(decoded.code_point);
  }
  return 1;
}

}  // namespace

DecodedCharacter decode_utf8(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return {lead, 1};
  std::size_t length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;
  if (length == 0 || at + length > text.size()) return {kReplacementCharacter, 1};
  char32_t code_point = lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[at + i]);
    if (!is_continuation(byte)) return {kReplacementCharacter, 1};
    code_point = (code_point << 6) | (byte & 0x3F);
  }
  const char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < smallest[length] || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF))
    return {kReplacementCharacter, 1};
  return {code_point, length};
}

std::size_t first_non_blank(std::string_view line) {
  std::size_t at = line.find_first_not_of(" \t\f\v");
  return at == std::string_view::npos ? line.size() : at;
}

std::size_t byte_offset_of_column(std::string_view line, std::int64_t column, ColumnUnit unit, ColumnOrigin origin) {
  const std::size_t origin_offset = origin == ColumnOrigin::first_non_blank ? first_non_blank(line) : 0;
  std::int64_t counted = 0;          // units from the origin to `at`
  std::int64_t from_line_start = 0;   // cells from the line's start, so tabs reach the same stops as in a terminal
  std::size_t at = 0;
  while (at < line.size()) {
    const DecodedCharacter decoded = decode_utf8(line, at);
    const std::int64_t units = units_of(decoded, unit, from_line_start);
    // A column inside a character (a wide character's second cell, a byte inside a sequence) means that character.
    if (at >= origin_offset && units > 0 && counted + units > column - 1) break;
    if (at >= origin_offset) counted += units;
    from_line_start += units;
    at += decoded.length;
  }
  return at;
}

std::size_t end_of_character(std::string_view line, std::size_t at) {
  return at >= line.size() ? line.size() : at + decode_utf8(line, at).length;
}

std::size_t end_of_token(std::string_view line, std::size_t at) {
  if (at >= line.size()) return line.size();
  std::size_t end = at;
  while (end < line.size()) {
    const DecodedCharacter decoded = decode_utf8(line, end);
    if (!is_identifier_character(decoded.code_point)) break;
    end += decoded.length;
  }
  return end == at ? end_of_character(line, at) : end;
}

std::int64_t utf16_offset(std::string_view line, std::size_t byte_offset) {
  std::int64_t units = 0;
  for (std::size_t at = 0; at < std::min(byte_offset, line.size());) {
    const DecodedCharacter decoded = decode_utf8(line, at);
    units += decoded.code_point > 0xFFFF ? 2 : 1;
    at += decoded.length;
  }
  return units;
}

std::string to_valid_utf8(std::string_view text, std::size_t max_bytes) {
  constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";
  std::string valid;
  for (std::size_t at = 0; at < text.size();) {
    const DecodedCharacter decoded = decode_utf8(text, at);
    const bool replaced = decoded.code_point == kReplacementCharacter && decoded.length == 1;
    const std::string_view character = replaced ? kReplacementUtf8 : text.substr(at, decoded.length);
    if (valid.size() + character.size() > max_bytes) break;
    valid.append(character);
    at += decoded.length;
  }
  return valid;
}

}  // namespace airlock::server::diagnostics
