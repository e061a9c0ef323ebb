#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "protocol/framing.h"

namespace airlock::protocol {
namespace {

// What the decoder produced, flattened for comparison: "body:<bytes>" or "error:<message>".
std::vector<std::string> drain(FrameDecoder& decoder) {
  std::vector<std::string> events;
  while (auto event = decoder.next()) {
    if (const auto* body = std::get_if<std::string>(&*event))
      events.push_back("body:" + *body);
    else
      events.push_back("error:" + std::get<FrameError>(*event).message);
  }
  return events;
}

std::vector<std::string> decode_chunks(const std::vector<std::string>& chunks, std::size_t max = kDefaultMaxMessageBytes) {
  FrameDecoder decoder(max);
  std::vector<std::string> events;
  for (const auto& chunk : chunks) {
    decoder.feed(chunk);
    for (auto& event : drain(decoder)) events.push_back(std::move(event));
  }
  return events;
}

std::vector<std::string> decode(const std::string& bytes) { return decode_chunks({bytes}); }

bool is_error(const std::string& event) { return event.rfind("error:", 0) == 0; }

const std::string kFirstBody = R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"file:///tmp/é"}})";
const std::string kSecondBody = R"({"jsonrpc":"2.0","method":"initialized","params":{}})";

}  // namespace

TEST_CASE("encode_frame writes the Content-Length of the body in bytes") {
  CHECK(encode_frame("{}") == "Content-Length: 2\r\n\r\n{}");
  CHECK(encode_frame("\"é\"") == "Content-Length: 4\r\n\r\n\"é\"");
  CHECK(encode_frame("") == "Content-Length: 0\r\n\r\n");
}

TEST_CASE("framing: two frames split at every byte boundary decode to the same two bodies") {
  const auto stream = encode_frame(kFirstBody) + encode_frame(kSecondBody);
  const std::vector<std::string> expected = {"body:" + kFirstBody, "body:" + kSecondBody};
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    CAPTURE(split);
    CHECK(decode_chunks({stream.substr(0, split), stream.substr(split)}) == expected);
  }
}

TEST_CASE("framing: a frame fed one byte at a time is decoded once it is complete") {
  const auto frame = encode_frame(kFirstBody);
  FrameDecoder decoder;
  for (std::size_t index = 0; index + 1 < frame.size(); ++index) {
    decoder.feed(frame.substr(index, 1));
    REQUIRE_FALSE(decoder.next().has_value());
  }
  decoder.feed(frame.substr(frame.size() - 1));
  CHECK(drain(decoder) == std::vector<std::string>{"body:" + kFirstBody});
  CHECK(decoder.buffered() == 0);
}

TEST_CASE("framing: merged frames in one read come out in order") {
  const auto stream = encode_frame(kFirstBody) + encode_frame("") + encode_frame(kSecondBody);
  CHECK(decode(stream) == std::vector<std::string>{"body:" + kFirstBody, "body:", "body:" + kSecondBody});
}

TEST_CASE("framing: other headers are tolerated and header names are case-insensitive") {
  const std::string body = "{}";
  CHECK(decode("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n" + body) ==
        std::vector<std::string>{"body:{}"});
  CHECK(decode("Content-Length: 2\r\nX-Trace: abc\r\n\r\n" + body) == std::vector<std::string>{"body:{}"});
  CHECK(decode("content-length: 2\r\n\r\n" + body) == std::vector<std::string>{"body:{}"});
  CHECK(decode("CONTENT-LENGTH:2\r\n\r\n" + body) == std::vector<std::string>{"body:{}"});
  CHECK(decode("Content-Length: \t2 \r\n\r\n" + body) == std::vector<std::string>{"body:{}"});
  CHECK(decode("Content-Length: 2\r\nContent-Length: 2\r\n\r\n" + body) == std::vector<std::string>{"body:{}"});
}

TEST_CASE("framing: a body that contains header-like text is not mistaken for a header") {
  const std::string body = R"({"text":"Content-Length: 99\r\n\r\n"})";
  CHECK(decode(encode_frame(body) + encode_frame("{}")) == std::vector<std::string>{"body:" + body, "body:{}"});
}

TEST_CASE("framing: garbage before a header is skipped with one error") {
  for (const auto& garbage : std::vector<std::string>{"hello world\r\n", "junk", "xyz\r\n\r\n", "{\"jsonrpc\":\"2.0\"}", "\r\n",
                                    std::string("\xff\xfe\x00\x01", 4), "X-Only-Header: 1\r\n\r\n"}) {
    CAPTURE(garbage);
    const auto events = decode(garbage + encode_frame(kFirstBody) + encode_frame(kSecondBody));
    REQUIRE(events.size() == 3);
    CHECK(is_error(events[0]));
    CHECK(events[1] == "body:" + kFirstBody);
    CHECK(events[2] == "body:" + kSecondBody);
  }
}

TEST_CASE("framing: a body sent without any header is reported before more bytes arrive") {
  FrameDecoder decoder;
  decoder.feed(R"({"jsonrpc":"2.0","id":1,"method":"shutdown"})");
  const auto event = decoder.next();
  REQUIRE(event.has_value());
  CHECK(std::holds_alternative<FrameError>(*event));
}

TEST_CASE("framing: garbage split across reads still gives one error") {
  const auto stream = std::string("garbage-without-colon-or-newline") + encode_frame(kSecondBody);
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    CAPTURE(split);
    const auto events = decode_chunks({stream.substr(0, split), stream.substr(split)});
    REQUIRE(events.size() == 2);
    CHECK(is_error(events[0]));
    CHECK(events[1] == "body:" + kSecondBody);
  }
}

TEST_CASE("framing: a bad Content-Length is reported and decoding resumes at the next header") {
  struct Case {
    std::string header;
    std::string reason;
  };
  for (const auto& test_case : {
           Case{"Content-Length: abc\r\n\r\n{}", "not a decimal number"},
           Case{"Content-Length: -5\r\n\r\n{}", "negative"},
           Case{"Content-Length: +5\r\n\r\n{}", "not a decimal number"},
           Case{"Content-Length: 99999999999999999999999999\r\n\r\n{}", "too large"},
           Case{"Content-Length:\r\n\r\n{}", "no value"},
           Case{"Content-Type: text/plain\r\n\r\n{}", "no Content-Length"},
           Case{"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", "two different Content-Length"},
       }) {
    const auto& [header, reason] = test_case;
    CAPTURE(test_case.header);
    const auto events = decode(header + encode_frame(kSecondBody));
    REQUIRE(events.size() == 2);
    CHECK(is_error(events[0]));
    CHECK(events[0].find(reason) != std::string::npos);
    CHECK(events[1] == "body:" + kSecondBody);
  }
}

TEST_CASE("framing: header lines ended by a bare \\n are reported at once") {
  FrameDecoder decoder;
  decoder.feed("Content-Length: 2\n\n{}");
  const auto events = drain(decoder);
  REQUIRE(events.size() == 1);
  CHECK(events[0].find("bare \"\\n\"") != std::string::npos);
  decoder.feed(encode_frame(kSecondBody));
  CHECK(drain(decoder) == std::vector<std::string>{"body:" + kSecondBody});
}

TEST_CASE("framing: error messages quote untrusted bytes as valid, short UTF-8") {
  const auto events = decode("Content-Length: \xff\xfe" + std::string(500, 'x') + "\r\n\r\n");
  REQUIRE(events.size() == 1);
  CHECK(events[0].find("\xef\xbf\xbd") != std::string::npos);
  CHECK(events[0].size() < 200);
}

TEST_CASE("framing: a Content-Length beyond the maximum is skipped as it arrives, without buffering it") {
  constexpr std::size_t max = 1024;
  constexpr std::size_t claimed = 1'000'000;
  FrameDecoder decoder(max);
  decoder.feed("Content-Length: " + std::to_string(claimed) + "\r\n\r\n");
  const auto events = drain(decoder);
  REQUIRE(events.size() == 1);
  CHECK(events[0].find("exceeds the maximum message size of 1024") != std::string::npos);

  const std::string chunk(4096, 'x');
  std::size_t sent = 0;
  while (sent + chunk.size() <= claimed) {
    decoder.feed(chunk);
    sent += chunk.size();
    REQUIRE_FALSE(decoder.next().has_value());
    REQUIRE(decoder.buffered() == 0);
  }
  // The rest of the oversized body and the next frame arrive in one read: the decoder is still in sync.
  decoder.feed(std::string(claimed - sent, 'x') + encode_frame(kSecondBody));
  CHECK(drain(decoder) == std::vector<std::string>{"body:" + kSecondBody});
}

TEST_CASE("framing: a Content-Length near 2^64 neither allocates nor wedges the buffer") {
  FrameDecoder decoder;
  decoder.feed("Content-Length: 18446744073709551615\r\n\r\n");
  const auto events = drain(decoder);
  REQUIRE(events.size() == 1);
  CHECK(is_error(events[0]));
  decoder.feed(std::string(1 << 16, 'x'));
  CHECK_FALSE(decoder.next().has_value());
  CHECK(decoder.buffered() == 0);
}

TEST_CASE("framing: an overlong header block is an error and the next frame still decodes") {
  std::string header;
  while (header.size() <= kMaxHeaderBytes) header += "X-Padding: " + std::string(100, 'p') + "\r\n";
  const auto events = decode(header + "\r\n" + encode_frame(kSecondBody));
  REQUIRE(events.size() == 2);
  CHECK(events[0].find("longer than") != std::string::npos);
  CHECK(events[1] == "body:" + kSecondBody);
}

TEST_CASE("framing: a stream of garbage keeps the buffer bounded") {
  FrameDecoder decoder(4096);
  std::size_t errors = 0;
  for (int round = 0; round < 256; ++round) {
    decoder.feed(std::string(1000, 'g') + " ");
    while (auto event = decoder.next()) errors += std::holds_alternative<FrameError>(*event);
    REQUIRE(decoder.buffered() <= 4096 + kMaxHeaderBytes);
  }
  CHECK(errors == 1);
  decoder.feed(encode_frame(kSecondBody));
  CHECK(drain(decoder) == std::vector<std::string>{"body:" + kSecondBody});
}

TEST_CASE("framing: random garbage before frames, split at random points, costs one error and no frame") {
  std::mt19937 random(1234);
  // No ':' so the garbage cannot hold a header of its own; line ends and token characters make it look like one.
  const std::string alphabet = "aZ9- {}\r\n\r\n\t\xff\xc3";
  const auto frames = encode_frame(kFirstBody) + encode_frame(kSecondBody);
  for (int round = 0; round < 500; ++round) {
    std::string garbage;
    const auto length = std::uniform_int_distribution<int>(0, 40)(random);
    for (int index = 0; index < length; ++index)
      garbage += alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(random)];
    const auto stream = garbage + frames;
    std::vector<std::string> chunks;
    for (std::size_t start = 0; start < stream.size();) {
      const auto size = std::uniform_int_distribution<std::size_t>(1, 16)(random);
      chunks.push_back(stream.substr(start, size));
      start += size;
    }
    CAPTURE(round);
    auto events = decode_chunks(chunks);
    if (!garbage.empty()) {
      REQUIRE_FALSE(events.empty());
      CHECK(is_error(events.front()));
      events.erase(events.begin());
    }
    CHECK(events == std::vector<std::string>{"body:" + kFirstBody, "body:" + kSecondBody});
  }
}

TEST_CASE("framing: an incomplete header waits for more bytes without an error") {
  FrameDecoder decoder;
  decoder.feed("Content-Length: 2\r\nContent-Ty");
  CHECK_FALSE(decoder.next().has_value());
  decoder.feed("pe: x\r\n\r\n{");
  CHECK_FALSE(decoder.next().has_value());
  decoder.feed("}");
  CHECK(drain(decoder) == std::vector<std::string>{"body:{}"});
}

}  // namespace airlock::protocol
