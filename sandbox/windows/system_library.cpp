#include "sandbox/windows/system_library.h"

namespace airlock::sandbox::windows {

SystemLibrary::SystemLibrary(const wchar_t* name)
    : module_(::LoadLibraryExW(name, nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32)) {
  if (!module_) error_ = ::GetLastError();
}

SystemLibrary::~SystemLibrary() {
  if (module_) ::FreeLibrary(module_);
}

}  // namespace airlock::sandbox::windows
