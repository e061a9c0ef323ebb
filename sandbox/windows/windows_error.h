#pragma once

// A failed Windows call, carrying the call's name, its error code and Windows' own text, and the fix when one is
// known — the Windows counterpart of "syscall + errno".

#include <windows.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace airlock::sandbox::windows {

class WindowsError : public std::runtime_error {
 public:
  WindowsError(std::string_view call, DWORD code, std::string_view fix = {});
  DWORD code() const noexcept { return code_; }

 private:
  DWORD code_;
};

std::string windows_error_text(DWORD code);

// Throws WindowsError for GetLastError().
[[noreturn]] void throw_last_error(std::string_view call, std::string_view fix = {});

}  // namespace airlock::sandbox::windows
