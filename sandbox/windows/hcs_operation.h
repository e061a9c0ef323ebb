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

// Makes one operation, passes it to call (which starts the HCS call and returns its HRESULT), and waits up to
// timeout_ms for the result. Returns the result document. Throws SandboxUnavailable with the cause and the fix when
// the call or the operation fails, HcsOperationTimeout when it did not finish in time.
std::string run_hcs_operation(const ComputeCore& api, std::string_view call_name, DWORD timeout_ms,
                              DWORD cancel_grace_ms, const std::function<HRESULT(HCS_OPERATION)>& call);

}  // namespace airlock::sandbox::windows
