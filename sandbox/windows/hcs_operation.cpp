#include "sandbox/windows/hcs_operation.h"

#include <memory>

#include "sandbox/windows/hcs_errors.h"
#include "sandbox/windows/utf16.h"

namespace airlock::sandbox::windows {
namespace {

// Owns the operation handle; closes it only when HCS can no longer touch the operation.
class OperationHandle {
 public:
  explicit OperationHandle(const ComputeCore& api) : api_(api), handle_(api.create_operation(nullptr, nullptr)) {
    if (!handle_)
      throw SandboxUnavailable("Hyper-V isolation failed: HcsCreateOperation returned no operation (out of memory or "
                               "the Host Compute Service is not running). Fix: check that the \"vmcompute\" service "
                               "runs (Get-Service vmcompute), then retry.");
  }
  OperationHandle(const OperationHandle&) = delete;
  OperationHandle& operator=(const OperationHandle&) = delete;
  ~OperationHandle() {
    if (!abandoned_) api_.close_operation(handle_);
  }

  HCS_OPERATION get() const { return handle_; }
  void abandon() { abandoned_ = true; }

 private:
  const ComputeCore& api_;
  HCS_OPERATION handle_;
  bool abandoned_ = false;
};

struct LocalFreeDeleter {
  void operator()(wchar_t* memory) const { ::LocalFree(memory); }
};

// The operation's result document as UTF-8 (HCS allocates it; it is freed here). Untrusted text: a document that is
// not valid UTF-16 is dropped rather than passed on.
std::string take_document(PWSTR document) {
  const std::unique_ptr<wchar_t, LocalFreeDeleter> owner(document);
  if (!document) return {};
  try {
    return to_utf8(document);
  } catch (const std::invalid_argument&) {
    return {};
  }
}

std::string seconds(DWORD ms) { return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + " s"; }

std::string cancelled_message(std::string_view call_name) {
  return "Hyper-V isolation stopped: the run was cancelled during " + std::string(call_name);
}

}  // namespace

void HcsCancellation::cancel() {
  const std::lock_guard guard(lock_);
  cancelled_ = true;
  if (pending_) api_->cancel_operation(pending_);
}

bool HcsCancellation::cancelled() const {
  const std::lock_guard guard(lock_);
  return cancelled_;
}

std::string run_hcs_operation(const ComputeCore& api, std::string_view call_name, DWORD timeout_ms,
                              DWORD cancel_grace_ms, const std::function<HRESULT(HCS_OPERATION)>& call,
                              HcsCancellation* cancellation) {
  OperationHandle operation(api);
  {
    // The call only starts the operation, so holding the lock across it is short; it makes "cancelled before the
    // call" and "the call's operation cancelled" the only two orders.
    std::unique_lock guard = cancellation ? std::unique_lock(cancellation->lock_) : std::unique_lock<std::mutex>();
    if (cancellation && cancellation->cancelled_) throw HcsCancelled(cancelled_message(call_name));
    const HRESULT started = call(operation.get());
    // A call that fails at once never started its operation: HCS holds nothing of it.
    if (FAILED(started) && static_cast<std::uint32_t>(started) != hcs_result::operation_pending)
      throw SandboxUnavailable(hcs_failure_message(call_name, static_cast<std::uint32_t>(started), {}));
    if (cancellation) {
      cancellation->api_ = &api;
      cancellation->pending_ = operation.get();
    }
  }
  PWSTR document = nullptr;
  HRESULT result = api.wait_for_operation_result(operation.get(), timeout_ms, &document);
  if (cancellation) {
    const std::lock_guard guard(cancellation->lock_);
    cancellation->pending_ = nullptr;
    if (cancellation->cancelled_ && static_cast<std::uint32_t>(result) != hcs_result::operation_timeout) {
      take_document(document);
      throw HcsCancelled(cancelled_message(call_name));
    }
  }
  if (static_cast<std::uint32_t>(result) != hcs_result::operation_timeout) {
    const std::string text = take_document(document);
    if (FAILED(result)) throw SandboxUnavailable(hcs_failure_message(call_name, static_cast<std::uint32_t>(result), text));
    return text;
  }
  take_document(document);

  api.cancel_operation(operation.get());
  document = nullptr;
  result = api.wait_for_operation_result(operation.get(), cancel_grace_ms, &document);
  take_document(document);
  const bool abandoned = static_cast<std::uint32_t>(result) == hcs_result::operation_timeout;
  if (abandoned) operation.abandon();
  throw HcsOperationTimeout(
      "Hyper-V isolation failed: " + std::string(call_name) + " did not finish within " + seconds(timeout_ms) +
          (abandoned ? " and did not end when cancelled either; its handles are left open until the server exits, "
                       "as closing them under a running operation is unsafe"
                     : "; it was cancelled") +
          ". Fix: check that the Host Compute Service (vmcompute) is healthy and the machine is not overloaded, then "
          "retry; restarting the service (Restart-Service vmcompute, as administrator) ends a wedged operation.",
      abandoned);
}

}  // namespace airlock::sandbox::windows
