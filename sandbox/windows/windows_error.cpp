#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

std::string describe(std::string_view call, DWORD code, std::string_view fix) {
  std::string text = std::string(call) + " failed: " + windows_error_text(code) + " (Windows error " +
                     std::to_string(code) + ")";
  if (!fix.empty()) text += ". Fix: " + std::string(fix);
  return text;
}

}  // namespace

WindowsError::WindowsError(std::string_view call, DWORD code, std::string_view fix)
    : std::runtime_error(describe(call, code, fix)), code_(code) {}

std::string windows_error_text(DWORD code) {
  char buffer[512];
  DWORD length = ::FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, code,
                                  MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), buffer, sizeof buffer, nullptr);
  while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == '\r' || buffer[length - 1] == '.')) --length;
  return length > 0 ? std::string(buffer, length) : "unknown error";
}

void throw_last_error(std::string_view call, std::string_view fix) { throw WindowsError(call, ::GetLastError(), fix); }

}  // namespace airlock::sandbox::windows
