#include "protocol/utf8_chunker.h"

#include "protocol/utf8_sequence.h"

namespace airlock::protocol {

using utf8::SequenceKind;

std::string_view Utf8Chunker::complete_pending(std::string_view bytes, std::string& text) {
  const std::size_t held = pending_.size();
  // No sequence is longer than four bytes, so four decide it.
  std::string joined = pending_ + std::string(bytes.substr(0, 4 - held));
  const auto sequence = utf8::read_sequence(joined);
  if (sequence.kind == SequenceKind::incomplete) {
    pending_ = std::move(joined);
    return {};
  }
  pending_.clear();
  // The held bytes were a valid prefix, so the sequence or its invalid subpart covers all of them.
  if (sequence.kind == SequenceKind::valid) {
    text.append(joined, 0, sequence.length);
  } else {
    text.append(utf8::kReplacementCharacter);
  }
  return bytes.substr(sequence.length - held);
}

void Utf8Chunker::push(std::string_view bytes, std::string& text) {
  if (!pending_.empty()) bytes = complete_pending(bytes, text);
  std::size_t copied_up_to = 0;  // bytes[copied_up_to, at) are valid and not yet appended
  std::size_t at = 0;
  while (at < bytes.size()) {
    at += utf8::ascii_prefix_length(bytes.substr(at));
    if (at == bytes.size()) break;
    const auto sequence = utf8::read_sequence(bytes.substr(at));
    if (sequence.kind == SequenceKind::valid) {
      at += sequence.length;
      continue;
    }
    text.append(bytes.substr(copied_up_to, at - copied_up_to));
    if (sequence.kind == SequenceKind::incomplete) {
      pending_.assign(bytes.substr(at));
      return;
    }
    text.append(utf8::kReplacementCharacter);
    at += sequence.length;
    copied_up_to = at;
  }
  text.append(bytes.substr(copied_up_to));
}

std::string Utf8Chunker::push(std::string_view bytes) {
  std::string text;
  text.reserve(bytes.size() + pending_.size());
  push(bytes, text);
  return text;
}

void Utf8Chunker::finish(std::string& text) {
  // A held-back sequence is a valid prefix, hence exactly one maximal invalid subpart.
  if (!pending_.empty()) text.append(utf8::kReplacementCharacter);
  pending_.clear();
}

std::string Utf8Chunker::finish() {
  std::string text;
  finish(text);
  return text;
}

std::size_t Utf8Chunker::pending() const { return pending_.size(); }

std::string to_valid_utf8(std::string_view bytes) {
  Utf8Chunker chunker;
  std::string text = chunker.push(bytes);
  chunker.finish(text);
  return text;
}

}  // namespace airlock::protocol
