#pragma once

// Reading UTF-8 one sequence at a time, as Unicode 15 (3.9, table 3-7) defines a well-formed one, plus a word-at-a-
// time scan over plain ASCII, which is what almost all program output is. Shared by the chunker, which makes
// output valid, and the JSON string writer, which must treat any bytes the same way.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace airlock::protocol::utf8 {

inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

enum class SequenceKind { valid, invalid, incomplete };

struct Sequence {
  SequenceKind kind;
  std::size_t length;  // bytes of the valid sequence, of the maximal invalid subpart, or of the incomplete prefix
};

// Looks at the sequence starting at bytes[0]; `bytes` must not be empty.
Sequence read_sequence(std::string_view bytes);

// Eight bytes as one word, for checks that look at all of them at once.
inline std::uint64_t load_word(const char* at) {
  std::uint64_t word;
  std::memcpy(&word, at, sizeof word);
  return word;
}

inline constexpr std::uint64_t kEveryByte = 0x0101010101010101ull;
inline constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

// How many bytes at the start of `bytes` are ASCII (below 0x80).
std::size_t ascii_prefix_length(std::string_view bytes);

}  // namespace airlock::protocol::utf8
