#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "protocol/json.h"
#include "protocol/utf8_chunker.h"

namespace airlock::protocol {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";

// nlohmann's serializer validates UTF-8 on its own, independently of the chunker.
bool is_valid_utf8(const std::string& text) {
  try {
    (void)json(text).dump();
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}

std::string push_pieces(const std::vector<std::string>& pieces) {
  Utf8Chunker chunker;
  std::string text;
  for (const auto& piece : pieces) {
    const auto chunk = chunker.push(piece);
    REQUIRE(is_valid_utf8(chunk));
    REQUIRE(chunker.pending() <= 3);
    text += chunk;
  }
  text += chunker.finish();
  REQUIRE(chunker.pending() == 0);
  return text;
}

std::string encode_code_point(char32_t code_point) {
  std::string bytes;
  if (code_point < 0x80) {
    bytes += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    bytes += static_cast<char>(0xC0 | (code_point >> 6));
    bytes += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    bytes += static_cast<char>(0xE0 | (code_point >> 12));
    bytes += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    bytes += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    bytes += static_cast<char>(0xF0 | (code_point >> 18));
    bytes += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    bytes += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    bytes += static_cast<char>(0x80 | (code_point & 0x3F));
  }
  return bytes;
}

// Code points of every encoded length, including the edges of each length and of the surrogate gap.
char32_t random_code_point(std::mt19937& random) {
  static const std::vector<std::pair<char32_t, char32_t>> ranges = {
      {0x0, 0x7F}, {0x80, 0x7FF}, {0x800, 0xD7FF}, {0xE000, 0xFFFF}, {0x10000, 0x10FFFF}};
  const auto& [low, high] = ranges[std::uniform_int_distribution<std::size_t>(0, ranges.size() - 1)(random)];
  return std::uniform_int_distribution<char32_t>(low, high)(random);
}

std::vector<std::string> split_randomly(const std::string& bytes, std::mt19937& random) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (start < bytes.size()) {
    const auto length = std::uniform_int_distribution<std::size_t>(0, 7)(random);
    pieces.push_back(bytes.substr(start, length));
    start += length;
  }
  return pieces;
}

}  // namespace

TEST_CASE("utf8: valid text passes through unchanged and nothing is held back") {
  Utf8Chunker chunker;
  const std::string text = "plain ASCII, é, €, 𝄞, 😀\n";
  CHECK(chunker.push(text) == text);
  CHECK(chunker.pending() == 0);
  CHECK(chunker.finish().empty());
}

TEST_CASE("utf8: multi-byte text split at every point is never split inside a character") {
  const std::string text = "aé€😀z\xF4\x8F\xBF\xBF\xEF\xBF\xBF\xC2\x80";
  for (std::size_t split = 0; split <= text.size(); ++split) {
    CAPTURE(split);
    Utf8Chunker chunker;
    const auto first = chunker.push(text.substr(0, split));
    CHECK(text.rfind(first, 0) == 0);
    CHECK(first.size() + chunker.pending() == split);
    const auto second = chunker.push(text.substr(split));
    CHECK(first + second == text);
    CHECK(chunker.finish().empty());
  }
  for (std::size_t first = 0; first <= text.size(); ++first)
    for (std::size_t second = first; second <= text.size(); ++second)
      CHECK(push_pieces({text.substr(0, first), text.substr(first, second - first), text.substr(second)}) == text);
}

TEST_CASE("utf8: an incomplete sequence is held back, then completed or replaced at the end") {
  Utf8Chunker chunker;
  CHECK(chunker.push("ab\xF0\x9F") == "ab");
  CHECK(chunker.pending() == 2);
  CHECK(chunker.push("\x98").empty());
  CHECK(chunker.pending() == 3);
  CHECK(chunker.push("\x80!") == "😀!");
  CHECK(chunker.pending() == 0);

  CHECK(chunker.push("x\xE2\x82") == "x");
  CHECK(chunker.finish() == kReplacement);
  CHECK(chunker.pending() == 0);
  CHECK(chunker.finish().empty());
}

TEST_CASE("utf8: invalid bytes become one U+FFFD per maximal invalid subpart") {
  const auto r = kReplacement;
  struct Case {
    std::string bytes;
    std::string expected;
  };
  for (const auto& test_case : {
           Case{"\x80", r},                                       // stray continuation byte
           Case{"\xBF\x80", r + r},                               // two stray continuation bytes
           Case{"\xC0\xAF", r + r},                               // overlong '/' (C0 is never valid)
           Case{"\xC1\xBF", r + r},                               // overlong (C1 is never valid)
           Case{"\xE0\x80\xAF", r + r + r},                       // overlong 3-byte: E0 needs A0..BF next
           Case{"\xF0\x80\x80\xAF", r + r + r + r},               // overlong 4-byte: F0 needs 90..BF next
           Case{"\xED\xA0\x80", r + r + r},                       // UTF-16 surrogate U+D800
           Case{"\xED\xBF\xBF", r + r + r},                       // UTF-16 surrogate U+DFFF
           Case{"\xF4\x90\x80\x80", r + r + r + r},               // U+110000, beyond Unicode
           Case{"\xF5\x80\x80\x80", r + r + r + r},               // F5..FF never start a sequence
           Case{"\xFE\xFF", r + r},
           Case{"\xE2\x82" "A", r + "A"},                         // truncated by an ASCII byte: one U+FFFD
           Case{"\xF0\x9F\x98" "A", r + "A"},                     // three-byte truncation is still one
           Case{"\xE2\xE2\x82\xAC", r + "€"},                     // a new lead byte ends the broken sequence
           Case{"\xC2", r},                                       // truncated by the end of the stream
           Case{"\xF0\x9F\x98", r},
           // Unicode 15, table 3-8
           Case{"\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", "a" + r + r + r + "b" + r + "c" + r + r + "d"},
       }) {
    const auto& [bytes, expected] = test_case;
    CAPTURE(json::binary(std::vector<std::uint8_t>(test_case.bytes.begin(), test_case.bytes.end())).dump());
    CHECK(push_pieces({bytes}) == expected);
    for (std::size_t split = 0; split <= bytes.size(); ++split)
      CHECK(push_pieces({bytes.substr(0, split), bytes.substr(split)}) == expected);
    CHECK(to_valid_utf8(bytes) == expected);
  }
}

TEST_CASE("utf8: valid text split at random points concatenates back to the input") {
  std::mt19937 random(20240611);
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const auto characters = std::uniform_int_distribution<int>(0, 64)(random);
    for (int index = 0; index < characters; ++index) text += encode_code_point(random_code_point(random));
    REQUIRE(is_valid_utf8(text));
    CAPTURE(round);
    CHECK(push_pieces(split_randomly(text, random)) == text);
  }
}

TEST_CASE("utf8: arbitrary bytes give the same valid text however they are split") {
  std::mt19937 random(7);
  // Biased towards bytes that form or break sequences, so most rounds mix valid and invalid input.
  const std::string alphabet = "a\x7F\x80\x8F\x90\x9F\xA0\xBF\xC0\xC2\xDF\xE0\xE1\xED\xEF\xF0\xF1\xF4\xF5\xFF";
  for (int round = 0; round < 500; ++round) {
    std::string bytes;
    const auto length = std::uniform_int_distribution<int>(0, 48)(random);
    for (int index = 0; index < length; ++index)
      bytes += alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(random)];
    CAPTURE(round);
    const auto whole = to_valid_utf8(bytes);
    CHECK(is_valid_utf8(whole));
    CHECK(push_pieces(split_randomly(bytes, random)) == whole);
  }
}

TEST_CASE("utf8: long output, whole or in pieces, is repaired as nlohmann's replacement does it") {
  // Long ASCII runs take the word-at-a-time path; nlohmann's serializer is the independent reference.
  const std::vector<std::string> parts = {"a line of plain output long enough for words\n", "é", "😀", "\x80",
                                          "\xC0\xAF", "\xE0\x80\x80", "\xED\xA0\x80", "\xF0\x9F", "\xFF", "\x7F"};
  std::mt19937 random(5);
  for (int round = 0; round < 500; ++round) {
    std::string bytes;
    while (bytes.size() < 300) bytes += parts[std::uniform_int_distribution<std::size_t>(0, parts.size() - 1)(random)];
    const std::string expected =
        json::parse(json(bytes).dump(-1, ' ', false, json::error_handler_t::replace)).get<std::string>();
    CAPTURE(bytes);
    REQUIRE(to_valid_utf8(bytes) == expected);
    std::vector<std::string> pieces;
    for (std::size_t at = 0; at < bytes.size();) {
      const auto length = std::uniform_int_distribution<std::size_t>(1, 40)(random);
      pieces.push_back(bytes.substr(at, length));
      at += length;
    }
    REQUIRE(push_pieces(pieces) == expected);
  }
}

}  // namespace airlock::protocol
