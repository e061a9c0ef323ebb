#include "sandbox/windows/manual_reset_event.h"

#include <string>

#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {

UniqueHandle make_manual_reset_event(const char* what) {
  UniqueHandle event(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
  if (!event) throw_last_error(std::string("CreateEventW(") + what + ")");
  return event;
}

}  // namespace airlock::sandbox::windows
