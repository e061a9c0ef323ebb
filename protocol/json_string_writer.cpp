#include "protocol/json_string_writer.h"

#include <array>
#include <cstdint>

#include "protocol/utf8_sequence.h"

namespace airlock::protocol {
namespace {

using utf8::kEveryByte;
using utf8::kHighBits;

// What each ASCII byte becomes inside a JSON string: 0 itself, 'u' a \u00xx escape, else the letter after '\'.
constexpr std::array<char, 128> make_escapes() {
  std::array<char, 128> escapes{};
  for (int byte = 0; byte < 0x20; ++byte) escapes[byte] = 'u';
  escapes['\b'] = 'b';
  escapes['\f'] = 'f';
  escapes['\n'] = 'n';
  escapes['\r'] = 'r';
  escapes['\t'] = 't';
  escapes['"'] = '"';
  escapes['\\'] = '\\';
  return escapes;
}
constexpr std::array<char, 128> kEscapes = make_escapes();

// Whether any of the eight bytes needs more than a copy: a control character, '"', '\\', or a non-ASCII byte,
// which must be checked as UTF-8. (The "has a byte below n" test of Bit Twiddling Hacks is exact as a yes/no.)
bool needs_care(std::uint64_t word) {
  const std::uint64_t control = (word - kEveryByte * 0x20) & ~word;
  const std::uint64_t quote_bytes = word ^ (kEveryByte * '"');
  const std::uint64_t quote = (quote_bytes - kEveryByte) & ~quote_bytes;
  const std::uint64_t backslash_bytes = word ^ (kEveryByte * '\\');
  const std::uint64_t backslash = (backslash_bytes - kEveryByte) & ~backslash_bytes;
  return ((control | quote | backslash | word) & kHighBits) != 0;
}

void append_escape(std::string& out, unsigned char byte, char escape) {
  constexpr std::string_view kHexDigits = "0123456789abcdef";
  out += '\\';
  if (escape != 'u') {
    out += escape;
    return;
  }
  out += "u00";
  out += kHexDigits[byte >> 4];
  out += kHexDigits[byte & 0x0F];
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t copied_up_to = 0;  // text[copied_up_to, at) needs no escape and is not yet appended
  std::size_t at = 0;
  while (at < text.size()) {
    while (at + 8 <= text.size() && !needs_care(utf8::load_word(text.data() + at))) at += 8;
    if (at == text.size()) break;
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte >= 0x80) {
      const auto sequence = utf8::read_sequence(text.substr(at));
      if (sequence.kind != utf8::SequenceKind::valid) {
        out.append(text.substr(copied_up_to, at - copied_up_to));
        out.append(utf8::kReplacementCharacter);
        copied_up_to = at + sequence.length;
      }
      at += sequence.length;
      continue;
    }
    if (const char escape = kEscapes[byte]; escape != 0) {
      out.append(text.substr(copied_up_to, at - copied_up_to));
      append_escape(out, byte, escape);
      copied_up_to = at + 1;
    }
    ++at;
  }
  out.append(text.substr(copied_up_to));
  out += '"';
}

}  // namespace airlock::protocol
