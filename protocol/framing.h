#pragma once

// LSP base framing ("Content-Length: N\r\n\r\n" + N bytes), decoded incrementally from a byte stream that may
// be split or merged anywhere and may contain garbage. A bad frame is reported and skipped; decoding goes on.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace airlock::protocol {

inline constexpr std::size_t kDefaultMaxMessageBytes = 64u << 20;
// Longer header blocks are treated as garbage: a real client sends one or two short headers.
inline constexpr std::size_t kMaxHeaderBytes = 8u << 10;

// A bad frame that was skipped; decoding goes on.
struct FrameError {
  std::string message;
};

class FrameDecoder {
 public:
  explicit FrameDecoder(std::size_t max_message_bytes = kDefaultMaxMessageBytes);

  void feed(std::string_view bytes);
  // The next complete message body, or an error about a frame that was dropped. nullopt: need more bytes.
  std::optional<std::variant<std::string, FrameError>> next();
  // How many bytes are buffered (bounded by max message size + max header size + the last fed chunk).
  std::size_t buffered() const;

 private:
  enum class State {
    header,      // expecting a header block at the start of the buffer
    body,        // header parsed, waiting for body_bytes_ bytes
    discarding,  // skipping an oversized body of body_bytes_ bytes without storing it
    resyncing,   // after a bad header: skipping to the next "Content-Length:"
  };

  std::optional<std::variant<std::string, FrameError>> next_from_header();
  std::optional<std::variant<std::string, FrameError>> next_body();
  bool resynchronise();
  FrameError start_resync(std::string reason, std::size_t resume_at);
  void discard_buffered(std::size_t count);
  std::string_view unread() const;

  std::size_t max_message_bytes_;
  State state_ = State::header;
  std::size_t body_bytes_ = 0;
  std::string buffer_;
  std::size_t read_offset_ = 0;
};

// "Content-Length: N\r\n\r\n" + body
std::string encode_frame(std::string_view body);
// Appends the frame of `body` to `out`, for a writer that sends several frames at once.
void append_frame(std::string& out, std::string_view body);

}  // namespace airlock::protocol
