#pragma once

// Sole owner of a Windows kernel object handle; closes it exactly once. Windows' two "no handle" values (null and
// INVALID_HANDLE_VALUE) are both treated as empty.

#include <windows.h>

#include "sandbox/unique_resource.h"

namespace airlock::sandbox::windows {

struct HandleTraits {
  using Value = HANDLE;
  static HANDLE empty() noexcept { return nullptr; }
  static bool is_empty(HANDLE handle) noexcept { return handle == nullptr || handle == INVALID_HANDLE_VALUE; }
  static void close(HANDLE handle) noexcept { ::CloseHandle(handle); }
};

using UniqueHandle = UniqueResource<HandleTraits>;

}  // namespace airlock::sandbox::windows
