#include "protocol/json_string_writer.h"

#include <array>
#include <bit>
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

// The high bit of each of the eight bytes that needs more than a copy: a control character, '"', '\\', or a
// non-ASCII byte, which must be checked as UTF-8. Exact per byte: no carry crosses from one byte to the next, as
// each sum stays below 0x100.
std::uint64_t care_bits(std::uint64_t word) {
  constexpr std::uint64_t kLowBits = kEveryByte * 0x7F;
  auto zero_bytes = [](std::uint64_t bytes) { return ~(((bytes & kLowBits) + kLowBits) | bytes); };
  const std::uint64_t control = ~((word & kLowBits) + kEveryByte * (0x80 - 0x20));
  const std::uint64_t quote = zero_bytes(word ^ (kEveryByte * '"'));
  const std::uint64_t backslash = zero_bytes(word ^ (kEveryByte * '\\'));
  return (control | quote | backslash | word) & kHighBits;
}

// Where in the word (as loaded from memory) the first byte flagged by care_bits is.
std::size_t first_flagged_byte(std::uint64_t bits) {
  if constexpr (std::endian::native == std::endian::little) return static_cast<std::size_t>(std::countr_zero(bits)) / 8;
  return static_cast<std::size_t>(std::countl_zero(bits)) / 8;
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
    // Skips plain bytes a word at a time, up to the first byte that needs care.
    while (at + 8 <= text.size()) {
      const std::uint64_t bits = care_bits(utf8::load_word(text.data() + at));
      if (bits != 0) {
        at += first_flagged_byte(bits);
        break;
      }
      at += 8;
    }
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
