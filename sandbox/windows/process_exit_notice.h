#pragma once

// One event that a run's server side waits on for the whole run, while the process it stands for changes from step
// to step: each watch() has the thread pool set the event when that process ends. The server's wait is assigned once
// (a duplicate of the event), so a run of several steps cannot hand it a fresh process handle each time.

#include <windows.h>

#include "sandbox/windows/unique_handle.h"

namespace airlock::sandbox::windows {

class ProcessExitNotice {
 public:
  ProcessExitNotice();  // throws WindowsError
  ProcessExitNotice(const ProcessExitNotice&) = delete;
  ProcessExitNotice& operator=(const ProcessExitNotice&) = delete;
  ~ProcessExitNotice();  // waits for a callback in flight, so the event outlives every SetEvent

  // Clears the event and sets it again once process has ended. The handle must stay open until the next watch()
  // or the notice's end.
  void watch(HANDLE process);
  HANDLE event() const { return event_.get(); }

 private:
  void stop_watching();

  UniqueHandle event_;
  HANDLE wait_ = nullptr;
};

}  // namespace airlock::sandbox::windows
