#include "sandbox/vm/byte_codec.h"

namespace airlock::sandbox::vm {

void ByteWriter::u32(std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) bytes_.push_back(static_cast<char>((value >> shift) & 0xFF));
}

void ByteWriter::i64(std::int64_t value) {
  const auto bits = static_cast<std::uint64_t>(value);
  for (int shift = 0; shift < 64; shift += 8) bytes_.push_back(static_cast<char>((bits >> shift) & 0xFF));
}

void ByteWriter::string(std::string_view value) {
  u32(static_cast<std::uint32_t>(value.size()));
  bytes_.append(value);
}

bool ByteReader::take(std::size_t length, std::string_view& out) {
  if (failed_ || rest_.size() < length) {
    failed_ = true;
    return false;
  }
  out = rest_.substr(0, length);
  rest_.remove_prefix(length);
  return true;
}

std::uint8_t ByteReader::u8() {
  std::string_view field;
  return take(1, field) ? static_cast<std::uint8_t>(field[0]) : 0;
}

std::uint32_t ByteReader::u32() {
  std::string_view field;
  if (!take(4, field)) return 0;
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<std::uint8_t>(field[i]);
  return value;
}

std::int64_t ByteReader::i64() {
  std::string_view field;
  if (!take(8, field)) return 0;
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<std::uint8_t>(field[i]);
  return static_cast<std::int64_t>(value);
}

std::string ByteReader::string(std::uint32_t max_length) {
  const std::uint32_t length = u32();
  if (length > max_length) failed_ = true;
  std::string_view field;
  return take(length, field) ? std::string(field) : std::string();
}

std::uint32_t ByteReader::count(std::uint32_t max_count, std::uint32_t min_item_bytes) {
  const std::uint32_t value = u32();
  if (failed_ || value > max_count || static_cast<std::uint64_t>(value) * min_item_bytes > rest_.size()) {
    failed_ = true;
    return 0;
  }
  return value;
}

}  // namespace airlock::sandbox::vm
