#include "server/overlay/base64.h"

#include <cstdint>

namespace airlock::server::overlay {

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  encoded.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t index = 0;
  for (; index + 3 <= bytes.size(); index += 3) {
    const std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index])) << 16 |
                                static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index + 1])) << 8 |
                                static_cast<unsigned char>(bytes[index + 2]);
    encoded += kAlphabet[group >> 18 & 63];
    encoded += kAlphabet[group >> 12 & 63];
    encoded += kAlphabet[group >> 6 & 63];
    encoded += kAlphabet[group & 63];
  }
  const std::size_t rest = bytes.size() - index;
  if (rest == 0) return encoded;
  std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index])) << 16;
  if (rest == 2) group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index + 1])) << 8;
  encoded += kAlphabet[group >> 18 & 63];
  encoded += kAlphabet[group >> 12 & 63];
  encoded += rest == 2 ? kAlphabet[group >> 6 & 63] : '=';
  encoded += '=';
  return encoded;
}

}  // namespace airlock::server::overlay
