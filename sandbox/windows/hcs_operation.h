#pragma once

// One Host Compute Service call and its operation: the call starts it, a bounded wait collects its result, and a
// wait that runs out cancels it (HcsCancelOperation) and waits a little more for the cancel to take effect.
//
// hcsshim's lessons, kept here: never wait for HCS without a bound (a wedged vmcompute would hang the run and the
// server's shutdown with it), and never close an operation (or the compute system it works on) while HCS may still
// complete it — that frees memory HCS is about to write. An operation that did not finish even once cancelled is
// abandoned: its handle is left open, and the owner of its compute system leaves that handle open too.

#include <windows.h>

#include <computecore.h>

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "sandbox/backend.h"
#include "sandbox/windows/compute_core.h"

namespace airlock::sandbox::windows {

struct HcsTimeouts {
  DWORD create_ms = 60'000;
  DWORD start_ms = 60'000;
  DWORD terminate_ms = 30'000;
  DWORD cancel_grace_ms = 5'000;  // how long a cancelled operation may take to end
};

// The call did not finish in time. abandoned(): not even after it was cancelled, so its handles must stay open.
class HcsOperationTimeout : public SandboxUnavailable {
 public:
  HcsOperationTimeout(const std::string& message, bool abandoned) : SandboxUnavailable(message), abandoned_(abandoned) {}
  bool abandoned() const { return abandoned_; }

 private:
  bool abandoned_;
};

// Lets another thread cancel the operation a call is waiting for (a run killed while its VM is created or starts).
// Once cancelled, every later call that honours it is refused before it reaches HCS, so a kill that came between
// two calls is never overtaken by the second. The operation's handle is still closed only once it has finished.
class HcsCancellation {
 public:
  // Any thread: HcsCancelOperation on the operation being waited for, if any, and refuses the calls to come.
  void cancel();
  bool cancelled() const;

 private:
  friend std::string run_hcs_operation(const ComputeCore&, std::string_view, DWORD, DWORD,
                                       const std::function<HRESULT(HCS_OPERATION)>&, HcsCancellation*);
  mutable std::mutex lock_;
  const ComputeCore* api_ = nullptr;
  HCS_OPERATION pending_ = nullptr;
  bool cancelled_ = false;
};

// A call refused or ended because its HcsCancellation was cancelled.
class HcsCancelled : public SandboxUnavailable {
 public:
  using SandboxUnavailable::SandboxUnavailable;
};

// Makes one operation, passes it to call (which starts the HCS call and returns its HRESULT), and waits up to
// timeout_ms for the result. Returns the result document. Throws SandboxUnavailable with the cause and the fix when
// the call or the operation fails, HcsOperationTimeout when it did not finish in time, HcsCancelled when
// cancellation (optional) was or is cancelled.
std::string run_hcs_operation(const ComputeCore& api, std::string_view call_name, DWORD timeout_ms,
                              DWORD cancel_grace_ms, const std::function<HRESULT(HCS_OPERATION)>& call,
                              HcsCancellation* cancellation = nullptr);

}  // namespace airlock::sandbox::windows
