#include "sandbox/windows/process_exit_notice.h"

#include "sandbox/windows/manual_reset_event.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

void CALLBACK set_event(void* event, BOOLEAN) { ::SetEvent(static_cast<HANDLE>(event)); }

}  // namespace

ProcessExitNotice::ProcessExitNotice() : event_(make_manual_reset_event("process exit notice")) {}

ProcessExitNotice::~ProcessExitNotice() { stop_watching(); }

void ProcessExitNotice::stop_watching() {
  if (!wait_) return;
  // INVALID_HANDLE_VALUE: return only once a callback that already started has finished.
  ::UnregisterWaitEx(wait_, INVALID_HANDLE_VALUE);
  wait_ = nullptr;
}

void ProcessExitNotice::watch(HANDLE process) {
  stop_watching();
  ::ResetEvent(event_.get());
  if (!::RegisterWaitForSingleObject(&wait_, process, set_event, event_.get(), INFINITE,
                                     WT_EXECUTEONLYONCE | WT_EXECUTEINWAITTHREAD))
    throw_last_error("RegisterWaitForSingleObject(process exit)");
}

}  // namespace airlock::sandbox::windows
