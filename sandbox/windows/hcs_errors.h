#pragma once

// What went wrong with the Host Compute Service, in words a user can act on. HCS reports HRESULTs (mingw-w64's
// headers do not define the HCS_E_* codes, so they are here) and sometimes a JSON result document; both become one
// message for the -32010 SandboxUnavailable answer: the cause, the code, and the fix.

#include <cstdint>
#include <string>
#include <string_view>

namespace airlock::sandbox::windows {

namespace hcs_result {
inline constexpr std::uint32_t hyperv_not_installed = 0x80370102;
inline constexpr std::uint32_t unexpected_exit = 0x80370106;
inline constexpr std::uint32_t terminated = 0x80370107;
inline constexpr std::uint32_t invalid_json = 0x8037010D;
inline constexpr std::uint32_t system_not_found = 0x8037010E;
inline constexpr std::uint32_t service_not_available = 0x80370114;
inline constexpr std::uint32_t operation_pending = 0x80370117;
inline constexpr std::uint32_t operation_timeout = 0x80370118;
inline constexpr std::uint32_t access_denied = 0x8037011B;
inline constexpr std::uint32_t win32_access_denied = 0x80070005;  // E_ACCESSDENIED
}  // namespace hcs_result

// computecore.dll could not be loaded, or lacks a function (a Windows error code from LoadLibraryExW or
// GetProcAddress).
std::string computecore_unavailable_message(std::uint32_t win32_error, std::string_view missing_function = {});

// An HCS call or operation failed. result_document is the JSON HCS returned with it (may be empty or garbage: it
// is only searched for a bounded error message).
std::string hcs_failure_message(std::string_view operation, std::uint32_t hresult, std::string_view result_document);

}  // namespace airlock::sandbox::windows
