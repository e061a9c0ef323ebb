#pragma once

// The logic speaks UTF-8; the Windows API speaks UTF-16. Conversions happen only at that boundary, and refuse
// invalid input instead of replacing it (a replaced character in a path would name another file).

#include <string>
#include <string_view>

namespace airlock::sandbox::windows {

std::wstring to_utf16(std::string_view utf8);     // throws std::invalid_argument on invalid UTF-8
std::string to_utf8(std::wstring_view utf16);     // throws std::invalid_argument on unpaired surrogates

}  // namespace airlock::sandbox::windows
