#pragma once

// A GUID in its text form ("01234567-89ab-cdef-0123-456789abcdef", as HCS documents and hv_socket_service_id()
// write it) read into the fields of Windows' GUID struct, without the Windows API, so it is tested on Linux too.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace airlock::sandbox::windows {

struct GuidFields {
  std::uint32_t data1 = 0;
  std::uint16_t data2 = 0;
  std::uint16_t data3 = 0;
  std::array<std::uint8_t, 8> data4{};
  bool operator==(const GuidFields&) const = default;
};

// Accepts exactly 8-4-4-4-12 hexadecimal digits, optionally in braces; nullopt for anything else.
std::optional<GuidFields> parse_guid(std::string_view text);

}  // namespace airlock::sandbox::windows
