#include "protocol/utf8_chunker.h"

#include <utility>

namespace airlock::protocol {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// The range the second byte of a sequence may take, by lead byte (Unicode 15, table 3-7). The narrower ranges after
// E0, ED, F0 and F4 exclude overlong forms, surrogates and code points beyond U+10FFFF.
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

enum class SequenceKind { valid, invalid, incomplete };

struct Sequence {
  SequenceKind kind;
  std::size_t length;  // bytes of the valid sequence, or of the maximal invalid subpart
};

// Looks at the sequence starting at bytes[0].
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

}  // namespace

std::string Utf8Chunker::push(std::string_view bytes) {
  std::string input = std::move(pending_);
  input.append(bytes);
  pending_.clear();

  std::string text;
  text.reserve(input.size());
  std::string_view rest = input;
  while (!rest.empty()) {
    const auto sequence = read_sequence(rest);
    switch (sequence.kind) {
      case SequenceKind::valid:
        text.append(rest.substr(0, sequence.length));
        break;
      case SequenceKind::invalid:
        text.append(kReplacementCharacter);
        break;
      case SequenceKind::incomplete:
        pending_.assign(rest);
        return text;
    }
    rest.remove_prefix(sequence.length);
  }
  return text;
}

std::string Utf8Chunker::finish() {
  // A held-back sequence is a valid prefix, hence exactly one maximal invalid subpart.
  std::string text = pending_.empty() ? std::string() : std::string(kReplacementCharacter);
  pending_.clear();
  return text;
}

std::size_t Utf8Chunker::pending() const { return pending_.size(); }

std::string to_valid_utf8(std::string_view bytes) {
  Utf8Chunker chunker;
  std::string text = chunker.push(bytes);
  text += chunker.finish();
  return text;
}

}  // namespace airlock::protocol
