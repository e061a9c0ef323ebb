#pragma once

// The host's end of a utility VM's serial console (COM1, the guest kernel's console=ttyS0): a thread opens the VM's
// named pipe as its client as soon as the VM serves it (Hyper-V makes the pipe when the VM's devices start, so it
// retries until then) and keeps the tail of what the guest writes (console_tail.h) until the run ends.
// Nothing is ever written to the guest: the console is only read.

#include <windows.h>

#include <mutex>
#include <string>
#include <thread>

#include "sandbox/windows/console_tail.h"
#include "sandbox/windows/unique_handle.h"

namespace airlock::sandbox::windows {

class GuestConsole {
 public:
  // How much of the guest's last output is kept.
  static constexpr std::size_t kTailBytes = 4096;

  // A pipe name no other run uses: \\.\pipe\airlock-console-<process>-<n>.
  static std::string unique_pipe_name();

  // Starts reading pipe_name (\\.\pipe\...). Throws WindowsError when the thread's events cannot be made.
  explicit GuestConsole(std::string pipe_name);
  // Stops reading (a read in flight is cancelled and waited for) and joins the thread.
  ~GuestConsole();
  GuestConsole(const GuestConsole&) = delete;
  GuestConsole& operator=(const GuestConsole&) = delete;

  // Signalled (manual reset) once the VM closed the console it had served: the VM has stopped.
  HANDLE closed_event() const { return closed_.get(); }
  // What the guest wrote last, as text (ConsoleTail::text).
  std::string tail() const;

 private:
  void read_until_stopped();
  // The pipe opened for overlapped reads, or none once stopped.
  UniqueHandle open_when_served();

  std::string pipe_name_;
  UniqueHandle stop_;
  UniqueHandle closed_;
  UniqueHandle read_done_;  // the thread's own, made here so that the thread cannot fail to make it
  mutable std::mutex lock_;
  ConsoleTail tail_{kTailBytes};
  std::thread thread_;
};

}  // namespace airlock::sandbox::windows
