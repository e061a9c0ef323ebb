#include "sandbox/windows/console_tail.h"

namespace airlock::sandbox::windows {
namespace {

// The length of the UTF-8 sequence at the front of bytes, or 0 when it is not a valid one.
std::size_t utf8_sequence_length(std::string_view bytes) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  char32_t minimum = 0;
  char32_t code = 0;
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, minimum = 0x80, code = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, minimum = 0x800, code = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, minimum = 0x10000, code = lead & 0x07;
  } else {
    return 0;
  }
  if (bytes.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i) & 0x3F);
  }
  if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

void ConsoleTail::append(std::string_view bytes) {
  kept_.append(bytes);
  if (kept_.size() > capacity_) {
    kept_.erase(0, kept_.size() - capacity_);
    dropped_ = true;
  }
}

std::string ConsoleTail::text() const {
  std::string_view rest = kept_;
  if (dropped_) {
    // The first line was cut by the bound; a line whose start is lost misleads more than it tells.
    const std::size_t newline = rest.find('\n');
    if (newline != std::string_view::npos) rest.remove_prefix(newline + 1);
  }
  std::string text;
  while (!rest.empty()) {
    const std::size_t length = utf8_sequence_length(rest);
    if (length == 0) {
      text += "\xEF\xBF\xBD";
      rest.remove_prefix(1);
      continue;
    }
    const unsigned char first = static_cast<unsigned char>(rest[0]);
    if (length > 1 || first == '\n' || first == '\t' || (first >= 0x20 && first != 0x7F)) text.append(rest, 0, length);
    rest.remove_prefix(length);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\t')) text.pop_back();
  return text;
}

}  // namespace airlock::sandbox::windows
