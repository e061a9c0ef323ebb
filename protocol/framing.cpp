#include "protocol/framing.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <system_error>

#include "protocol/utf8_chunker.h"

namespace airlock::protocol {
namespace {

constexpr std::string_view kLineEnd = "\r\n";
constexpr std::string_view kContentLengthHeader = "Content-Length:";
constexpr std::size_t kQuotedValueBytes = 40;

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::size_t find_ignoring_case(std::string_view haystack, std::string_view needle) {
  const auto found = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
  return found == haystack.end() ? std::string_view::npos : static_cast<std::size_t>(found - haystack.begin());
}

// RFC 9110 token characters, the only ones a header name may contain.
bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) { return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char); }

std::string_view trim_whitespace(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Untrusted bytes quoted in an error message, which must stay short and valid UTF-8.
std::string quote(std::string_view bytes) {
  const bool cut = bytes.size() > kQuotedValueBytes;
  return "\"" + to_valid_utf8(bytes.substr(0, kQuotedValueBytes)) + (cut ? "...\"" : "\"");
}

struct ContentLength {
  std::uint64_t bytes = 0;
  std::string problem;  // empty when bytes is valid
};

ContentLength parse_content_length(std::string_view value) {
  if (value.empty()) return {0, "Content-Length has no value"};
  if (value.front() == '-') return {0, "Content-Length is negative: " + quote(value)};
  if (!std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return {0, "Content-Length is not a decimal number: " + quote(value)};
  std::uint64_t bytes = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), bytes);
  if (error == std::errc::result_out_of_range) return {0, "Content-Length is too large: " + quote(value)};
  return {bytes, {}};
}

enum class HeaderOutcome { incomplete, complete, bad };

struct HeaderScan {
  HeaderOutcome outcome = HeaderOutcome::incomplete;
  std::size_t header_bytes = 0;  // including the empty line that ends the block
  std::uint64_t content_length = 0;
  std::string problem;
  // Where to start looking for the next header after a bad block: past the line at fault, so one bad frame gives
  // one error.
  std::size_t resume_at = 0;
};

HeaderScan bad_header(std::string problem, std::size_t resume_at) {
  return {HeaderOutcome::bad, 0, 0, std::move(problem), resume_at};
}

// Reads the header block at the start of `data`, rejecting it as soon as the bytes seen so far cannot be one, so a
// client that forgot the header hears about it at once rather than after kMaxHeaderBytes.
HeaderScan scan_header(std::string_view data) {
  const auto too_long = "the header block is longer than " + std::to_string(kMaxHeaderBytes) + " bytes";
  std::optional<std::uint64_t> content_length;
  std::size_t line_start = 0;
  for (;;) {
    if (line_start > kMaxHeaderBytes) return bad_header(too_long, 1);
    const auto line_end = data.find(kLineEnd, line_start);
    // Otherwise a client that ends lines with a bare "\n" would wait for an answer that never comes.
    if (data.substr(line_start, line_end - line_start).find('\n') != std::string_view::npos)
      return bad_header("header lines must end with \"\\r\\n\", found a bare \"\\n\"", line_start + 1);
    if (line_end == std::string_view::npos) {
      auto partial = data.substr(line_start);
      if (partial.ends_with('\r')) partial.remove_suffix(1);  // the first half of a line end
      const auto name = partial.substr(0, partial.find(':'));
      if (!std::all_of(name.begin(), name.end(), is_token_char))
        return bad_header("expected a header such as \"Content-Length: 42\", got " + quote(partial), line_start + 1);
      if (data.size() > kMaxHeaderBytes) return bad_header(too_long, 1);
      return {};
    }
    const auto line = data.substr(line_start, line_end - line_start);
    if (line.empty()) {
      if (line_start == 0)
        return bad_header("expected a header such as \"Content-Length: 42\", got an empty line",
                          kLineEnd.size());
      // Garbage glued to the front of a real header makes a header name like "junkContent-Length": search again
      // from just past the start of the block.
      if (!content_length) return bad_header("the header block has no Content-Length header", 1);
      return {HeaderOutcome::complete, line_end + kLineEnd.size(), *content_length, {}};
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
      return bad_header("expected a header such as \"Content-Length: 42\", got " + quote(line), line_start + 1);
    if (equals_ignoring_case(line.substr(0, colon + 1), kContentLengthHeader)) {
      auto parsed = parse_content_length(trim_whitespace(line.substr(colon + 1)));
      if (!parsed.problem.empty()) return bad_header(std::move(parsed.problem), line_start + 1);
      if (content_length && *content_length != parsed.bytes)
        return bad_header("the header block has two different Content-Length headers", line_start + 1);
      content_length = parsed.bytes;
    }
    line_start = line_end + kLineEnd.size();
  }
}

}  // namespace

FrameDecoder::FrameDecoder(std::size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}

void FrameDecoder::feed(std::string_view bytes) {
  if (state_ == State::discarding) {
    // Nothing is buffered while discarding: the skipped body never enters the buffer.
    const auto skipped = std::min<std::size_t>(body_bytes_, bytes.size());
    bytes.remove_prefix(skipped);
    body_bytes_ -= skipped;
    if (body_bytes_ == 0) state_ = State::header;
  }
  buffer_.erase(0, read_offset_);
  read_offset_ = 0;
  buffer_.append(bytes);
}

std::optional<std::variant<std::string, FrameError>> FrameDecoder::next() {
  for (;;) {
    switch (state_) {
      case State::header:
        return next_from_header();
      case State::body:
        return next_body();
      case State::discarding:
        return std::nullopt;
      case State::resyncing:
        if (!resynchronise()) return std::nullopt;
        state_ = State::header;
        break;
    }
  }
}

std::size_t FrameDecoder::buffered() const { return buffer_.size() - read_offset_; }

std::optional<std::variant<std::string, FrameError>> FrameDecoder::next_from_header() {
  const auto scan = scan_header(unread());
  switch (scan.outcome) {
    case HeaderOutcome::incomplete:
      return std::nullopt;
    case HeaderOutcome::bad:
      return start_resync(scan.problem, scan.resume_at);
    case HeaderOutcome::complete:
      break;
  }
  discard_buffered(scan.header_bytes);
  if (scan.content_length > max_message_bytes_) {
    // Skip the body as it arrives instead of storing it: the claimed size is never allocated.
    body_bytes_ = static_cast<std::size_t>(std::min<std::uint64_t>(scan.content_length, SIZE_MAX));
    const auto skipped = std::min(body_bytes_, buffered());
    discard_buffered(skipped);
    body_bytes_ -= skipped;
    state_ = body_bytes_ == 0 ? State::header : State::discarding;
    return FrameError{"Content-Length " + std::to_string(scan.content_length) + " exceeds the maximum message size of " +
                      std::to_string(max_message_bytes_) + " bytes; the message is skipped"};
  }
  body_bytes_ = static_cast<std::size_t>(scan.content_length);
  state_ = State::body;
  return next_body();
}

std::optional<std::variant<std::string, FrameError>> FrameDecoder::next_body() {
  if (buffered() < body_bytes_) return std::nullopt;
  std::string body(unread().substr(0, body_bytes_));
  discard_buffered(body_bytes_);
  state_ = State::header;
  return body;
}

FrameError FrameDecoder::start_resync(std::string reason, std::size_t resume_at) {
  discard_buffered(resume_at);
  state_ = State::resyncing;
  return FrameError{std::move(reason) + "; skipping to the next \"Content-Length:\" header"};
}

bool FrameDecoder::resynchronise() {
  const auto data = unread();
  const auto found = find_ignoring_case(data, kContentLengthHeader);
  if (found != std::string_view::npos) {
    discard_buffered(found);
    return true;
  }
  // Keep what could be the start of a header split across two reads.
  const auto kept = std::min(data.size(), kContentLengthHeader.size() - 1);
  discard_buffered(data.size() - kept);
  return false;
}

void FrameDecoder::discard_buffered(std::size_t count) {
  read_offset_ += count;
  if (read_offset_ == buffer_.size()) {
    buffer_.clear();
    read_offset_ = 0;
  }
}

std::string_view FrameDecoder::unread() const { return std::string_view(buffer_).substr(read_offset_); }

std::string encode_frame(std::string_view body) {
  std::string frame;
  append_frame(frame, body);
  return frame;
}

void append_frame(std::string& out, std::string_view body) {
  out += "Content-Length: ";
  out += std::to_string(body.size());
  out += "\r\n\r\n";
  out.append(body);
}

}  // namespace airlock::protocol
