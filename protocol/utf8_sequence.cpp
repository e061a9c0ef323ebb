#include "protocol/utf8_sequence.h"

namespace airlock::protocol::utf8 {
namespace {

// The range the second byte of a sequence may take, by lead byte. The narrower ranges after E0, ED, F0 and F4
// exclude overlong forms, surrogates and code points beyond U+10FFFF.
struct LeadByte {
  std::size_t length;  // 0: the byte cannot start a sequence
  unsigned char second_min;
  unsigned char second_max;
};

LeadByte classify_lead(unsigned char byte) {
  if (byte <= 0x7F) return {1, 0, 0};
  if (byte >= 0xC2 && byte <= 0xDF) return {2, 0x80, 0xBF};
  if (byte == 0xE0) return {3, 0xA0, 0xBF};
  if (byte == 0xED) return {3, 0x80, 0x9F};
  if (byte >= 0xE1 && byte <= 0xEF) return {3, 0x80, 0xBF};
  if (byte == 0xF0) return {4, 0x90, 0xBF};
  if (byte >= 0xF1 && byte <= 0xF3) return {4, 0x80, 0xBF};
  if (byte == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

bool is_continuation(unsigned char byte) { return byte >= 0x80 && byte <= 0xBF; }

}  // namespace

Sequence read_sequence(std::string_view bytes) {
  const auto lead = classify_lead(static_cast<unsigned char>(bytes[0]));
  if (lead.length == 0) return {SequenceKind::invalid, 1};
  std::size_t matched = 1;
  while (matched < lead.length) {
    if (matched == bytes.size()) return {SequenceKind::incomplete, matched};
    const auto byte = static_cast<unsigned char>(bytes[matched]);
    const bool fits = matched == 1 ? byte >= lead.second_min && byte <= lead.second_max : is_continuation(byte);
    if (!fits) return {SequenceKind::invalid, matched};
    ++matched;
  }
  return {SequenceKind::valid, matched};
}

std::size_t ascii_prefix_length(std::string_view bytes) {
  std::size_t at = 0;
  for (; at + 16 <= bytes.size(); at += 16) {
    if (((load_word(bytes.data() + at) | load_word(bytes.data() + at + 8)) & kHighBits) != 0) break;
  }
  while (at < bytes.size() && static_cast<unsigned char>(bytes[at]) < 0x80) ++at;
  return at;
}

}  // namespace airlock::protocol::utf8
