#include <windows.h>

#include "sandbox/policy.h"
#include "sandbox/windows/utf16.h"
#include "server/platform/linux_sandbox_environment.h"
#include "server/platform/sandbox_environment.h"

namespace airlock::server::platform {
namespace {

std::string host_variable(const wchar_t* name, const char* fallback) {
  const DWORD size = ::GetEnvironmentVariableW(name, nullptr, 0);
  if (size == 0) return fallback;
  std::wstring value(size, L'\0');
  value.resize(::GetEnvironmentVariableW(name, value.data(), size));
  return sandbox::windows::to_utf8(value);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> sandbox_base_environment(sandbox::Isolation isolation) {
  if (isolation == sandbox::Isolation::vm) return linux_sandbox_environment();
  const std::string home = sandbox::kSandboxHome;
  return {
      // The host's PATH finds the interpreters the user installed; the AppContainer can start only those whose
      // folders grant it read access (system-wide installs do, through ALL APPLICATION PACKAGES).
      {"PATH", host_variable(L"PATH", "C:\\Windows\\system32;C:\\Windows")},
      // Without SystemRoot many programs (Python's random, Winsock) fail to start.
      {"SystemRoot", host_variable(L"SystemRoot", "C:\\Windows")},
      {"PATHEXT", host_variable(L"PATHEXT", ".COM;.EXE;.BAT;.CMD")},
      {"USERPROFILE", home},
      {"HOME", home},
      {"APPDATA", home},
      {"LOCALAPPDATA", home},
      {"TEMP", home},
      {"TMP", home},
      {"PYTHONUTF8", "1"},
      {"PYTHONPYCACHEPREFIX", home + "/.cache/python"},
  };
}

bool same_variable_name(std::string_view a, std::string_view b) {
  // What the environment functions use (RtlEqualUnicodeString ignoring case): an ordinal comparison through the
  // system's upper-case table, which no locale changes.
  const std::wstring wide_a = sandbox::windows::to_utf16(a);
  const std::wstring wide_b = sandbox::windows::to_utf16(b);
  return ::CompareStringOrdinal(wide_a.c_str(), static_cast<int>(wide_a.size()), wide_b.c_str(),
                                static_cast<int>(wide_b.size()), TRUE) == CSTR_EQUAL;
}

SameVariableName variable_name_comparison(sandbox::Isolation isolation) {
  return isolation == sandbox::Isolation::vm ? same_linux_variable_name : same_variable_name;
}

}  // namespace airlock::server::platform
