#pragma once

// Little-endian fields for the guest agent's messages: fixed-width integers and length-prefixed strings.
// The reader never trusts a length: every read is checked against what is left, and a failed read poisons the
// reader so a caller checks once at the end.

#include <cstdint>
#include <string>
#include <string_view>

namespace airlock::sandbox::vm {

class ByteWriter {
 public:
  void u8(std::uint8_t value) { bytes_.push_back(static_cast<char>(value)); }
  void u32(std::uint32_t value);
  void i64(std::int64_t value);
  void string(std::string_view value);

  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : rest_(bytes) {}

  std::uint8_t u8();
  std::uint32_t u32();
  std::int64_t i64();
  // At most max_length bytes; a longer one fails the reader.
  std::string string(std::uint32_t max_length);
  // A count of items that follow, each at least min_item_bytes long: a count the rest cannot hold fails the reader,
  // so a hostile count never makes the caller reserve memory for it.
  std::uint32_t count(std::uint32_t max_count, std::uint32_t min_item_bytes);

  bool failed() const { return failed_; }
  // True when every byte was read and nothing failed.
  bool complete() const { return !failed_ && rest_.empty(); }

 private:
  bool take(std::size_t length, std::string_view& out);

  std::string_view rest_;
  bool failed_ = false;
};

}  // namespace airlock::sandbox::vm
