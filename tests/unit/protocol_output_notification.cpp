#include <doctest/doctest.h>

#include <random>
#include <string>

#include "protocol/json.h"
#include "protocol/json_string_writer.h"
#include "protocol/jsonrpc.h"
#include "protocol/methods.h"
#include "protocol/output_notification.h"
#include "protocol/run_messages.h"
#include "protocol/utf8_chunker.h"

namespace airlock::protocol {
namespace {

// What the server sent before the direct writer existed, and what every other message still goes through.
std::string dump_like_the_transport(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string through_nlohmann(const OutputParams& params) {
  return dump_like_the_transport(make_notification(method::output, params));
}

// Into a buffer still holding an earlier notification, as the server's is.
std::string written_notification(const OutputParams& params) {
  std::string out = R"({"jsonrpc":"2.0","method":"sandbox/output","params":{"runId":"earlier"}})";
  write_output_notification(out, params.runId, params.stream, params.text, params.seq);
  return out;
}

std::string written_directly(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

// Output-like bytes: long ASCII runs (so the word-at-a-time path is taken), every control character, quotes,
// backslashes, DEL, multi-byte characters, and stray bytes that are not UTF-8 at all.
std::string random_output(std::mt19937& random, std::size_t length) {
  static const std::vector<std::string> pieces = {
      "plain text that is long enough to fill several words ", "\"", "\\", "/", "\x7F", "é", "€", "😀",
      "\xF4\x8F\xBF\xBF", "\xEF\xBF\xBD", "\x80", "\xC0\xAF", "\xE0\x80\x80", "\xED\xA0\x80", "\xF0\x9F", "\xFF"};
  std::string bytes;
  while (bytes.size() < length) {
    const auto choice = std::uniform_int_distribution<std::size_t>(0, pieces.size() + 3)(random);
    if (choice < pieces.size()) {
      bytes += pieces[choice];
    } else {
      bytes += static_cast<char>(std::uniform_int_distribution<int>(0, 255)(random));
    }
  }
  return bytes;
}

}  // namespace

TEST_CASE("json string writer: every ASCII byte is escaped as nlohmann escapes it") {
  for (int byte = 0; byte < 0x80; ++byte) {
    CAPTURE(byte);
    const std::string text = "before " + std::string(1, static_cast<char>(byte)) + " after, long enough for words";
    CHECK(written_directly(text) == dump_like_the_transport(text));
  }
}

// The writer skips to the first byte of a word that needs care: every byte value at every place in the first
// two words, and at the end of the text, where fewer than eight bytes are left.
TEST_CASE("json string writer: any byte at any place in a word is written as nlohmann writes it") {
  const std::string plain = "abcdefghijklmnopqrstuvwx";
  for (int byte = 0; byte < 0x100; ++byte) {
    for (std::size_t place = 0; place < plain.size(); ++place) {
      std::string text = plain;
      text[place] = static_cast<char>(byte);
      CAPTURE(byte);
      CAPTURE(place);
      REQUIRE(written_directly(text) == dump_like_the_transport(text));
    }
  }
}

// After a flagged byte the scan goes on inside the same word: a second one anywhere after it must not be missed.
TEST_CASE("json string writer: two bytes that need care in one word are both written as nlohmann writes them") {
  const std::string plain = "abcdefghijklmnop";
  for (const char first : {'\n', '"', '\\', '\x01', '\x80', '\xC3'}) {
    for (const char second : {'\t', '"', '\\', '\x1F', '\xFF', '\xA9'}) {
      for (std::size_t a = 0; a < 8; ++a) {
        for (std::size_t b = a + 1; b < 9; ++b) {
          std::string text = plain;
          text[a] = first;
          text[b] = second;
          CAPTURE(a);
          CAPTURE(b);
          REQUIRE(written_directly(text) == dump_like_the_transport(text));
        }
      }
    }
  }
}

TEST_CASE("json string writer: invalid UTF-8 becomes U+FFFD exactly where nlohmann puts it") {
  for (const std::string bytes : {"\x80", "\xC0\xAF", "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF0\x9F",
                                  "abc\xF0\x9F\x98", "\xF0\x9F\x98" "abcdefghijklmnop", "\xFF\xFE"}) {
    CAPTURE(bytes);
    CHECK(written_directly(bytes) == dump_like_the_transport(bytes));
  }
  std::mt19937 random(7);
  for (int round = 0; round < 2000; ++round) {
    const std::string bytes = random_output(random, std::uniform_int_distribution<std::size_t>(0, 200)(random));
    CAPTURE(bytes);
    REQUIRE(written_directly(bytes) == dump_like_the_transport(bytes));
  }
}

TEST_CASE("output notification: the direct writer gives nlohmann's bytes") {
  CHECK(written_notification({.runId = "r1", .stream = "stdout", .text = "hello\n", .seq = 0}) ==
        R"({"jsonrpc":"2.0","method":"sandbox/output","params":{"runId":"r1","seq":0,"stream":"stdout","text":"hello\n"}})");
  const OutputParams odd_ids{.runId = "run \"7\"\\ é\t", .stream = "stderr", .text = "", .seq = 9'007'199'254'740'993};
  CHECK(written_notification(odd_ids) == through_nlohmann(odd_ids));

  std::mt19937 random(11);
  for (int round = 0; round < 500; ++round) {
    const OutputParams params{.runId = "run-" + std::to_string(round),
                              .stream = round % 2 == 0 ? "stdout" : "stderr",
                              .text = random_output(random, std::uniform_int_distribution<std::size_t>(0, 400)(random)),
                              .seq = round};
    REQUIRE(written_notification(params) == through_nlohmann(params));
  }
}

TEST_CASE("output notification: text the chunker made from split output gives nlohmann's bytes") {
  std::mt19937 random(13);
  for (int round = 0; round < 300; ++round) {
    const std::string bytes = random_output(random, 600);
    Utf8Chunker chunker;
    std::int64_t seq = 0;
    std::size_t at = 0;
    while (at < bytes.size()) {
      const auto length = std::uniform_int_distribution<std::size_t>(0, 70)(random);
      std::string text = chunker.push(std::string_view(bytes).substr(at, length));
      at += length;
      if (at >= bytes.size()) chunker.finish(text);
      const OutputParams params{.runId = "split", .stream = "stdout", .text = std::move(text), .seq = seq++};
      REQUIRE(written_notification(params) == through_nlohmann(params));
    }
  }
}

}  // namespace airlock::protocol
