#pragma once

// Turns a program's output, which arrives in arbitrary pieces and may be any bytes, into valid UTF-8 text pieces
// that never split a character. Invalid bytes become U+FFFD, one per maximal invalid subpart (Unicode 15, 3.9,
// "U+FFFD Substitution of Maximal Subparts"), so the result is the same however the input was split.

#include <cstddef>
#include <string>
#include <string_view>

namespace airlock::protocol {

class Utf8Chunker {
 public:
  // Appends valid UTF-8 for everything complete so far to `text`; holds back an incomplete trailing sequence
  // (<=3 bytes). Runs of valid text are copied whole, so plain output costs little more than a copy.
  void push(std::string_view bytes, std::string& text);
  std::string push(std::string_view bytes);
  // End of stream: a held-back incomplete sequence becomes U+FFFD.
  void finish(std::string& text);
  std::string finish();
  // How many bytes are held back.
  std::size_t pending() const;

 private:
  // Completes the held-back sequence with the first bytes of `bytes`; returns the bytes not used for it.
  std::string_view complete_pending(std::string_view bytes, std::string& text);

  std::string pending_;
};

// The whole of `bytes` as valid UTF-8, e.g. to quote untrusted bytes in a message that must be valid JSON.
std::string to_valid_utf8(std::string_view bytes);

}  // namespace airlock::protocol
