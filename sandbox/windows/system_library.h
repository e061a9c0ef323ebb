#pragma once

// A DLL from System32 loaded at run time. The HCS and AppContainer APIs are looked up this way, never linked: an
// executable linked against a missing DLL or export does not even start, and the user would get a loader dialog
// instead of a -32010 answer that says what is missing and how to fix it.

#include <windows.h>

#include <string>
#include <utility>

namespace airlock::sandbox::windows {

class SystemLibrary {
 public:
  // Loads name from System32 only (a DLL planted next to the executable or in the working folder is never used).
  // On failure, error() holds the Windows error code and the object is empty.
  explicit SystemLibrary(const wchar_t* name);
  SystemLibrary(SystemLibrary&& other) noexcept
      : module_(std::exchange(other.module_, nullptr)), error_(other.error_) {}
  SystemLibrary& operator=(SystemLibrary&&) = delete;
  SystemLibrary(const SystemLibrary&) = delete;
  SystemLibrary& operator=(const SystemLibrary&) = delete;
  ~SystemLibrary();

  bool loaded() const { return module_ != nullptr; }
  DWORD error() const { return error_; }

  // The export name as a Function pointer; nullptr when the DLL lacks it.
  template <typename Function>
  Function* find(const char* name) const {
    return module_ ? reinterpret_cast<Function*>(reinterpret_cast<void*>(::GetProcAddress(module_, name))) : nullptr;
  }

 private:
  HMODULE module_ = nullptr;
  DWORD error_ = 0;
};

}  // namespace airlock::sandbox::windows
