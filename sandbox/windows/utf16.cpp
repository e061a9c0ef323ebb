#include "sandbox/windows/utf16.h"

#include <windows.h>

#include <stdexcept>

namespace airlock::sandbox::windows {

std::wstring to_utf16(std::string_view utf8) {
  if (utf8.empty()) return {};
  const int length = ::MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()),
                                           nullptr, 0);
  if (length <= 0) throw std::invalid_argument("not valid UTF-8: \"" + std::string(utf8) + "\"");
  std::wstring wide(static_cast<std::size_t>(length), L'\0');
  ::MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), wide.data(), length);
  return wide;
}

std::string to_utf8(std::wstring_view utf16) {
  if (utf16.empty()) return {};
  const int length = ::WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, utf16.data(), static_cast<int>(utf16.size()),
                                           nullptr, 0, nullptr, nullptr);
  if (length <= 0) throw std::invalid_argument("not valid UTF-16 (an unpaired surrogate)");
  std::string narrow(static_cast<std::size_t>(length), '\0');
  ::WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, utf16.data(), static_cast<int>(utf16.size()), narrow.data(),
                        length, nullptr, nullptr);
  return narrow;
}

}  // namespace airlock::sandbox::windows
