#include "sandbox/windows/compute_core.h"

#include "sandbox/backend.h"
#include "sandbox/windows/hcs_errors.h"

namespace airlock::sandbox::windows {
namespace {

template <typename Function>
void bind(const SystemLibrary& library, Function*& slot, const char* name) {
  slot = library.find<Function>(name);
  if (!slot) throw SandboxUnavailable(computecore_unavailable_message(ERROR_PROC_NOT_FOUND, name));
}

}  // namespace

ComputeCore ComputeCore::load() {
  SystemLibrary library(L"computecore.dll");
  if (!library.loaded()) throw SandboxUnavailable(computecore_unavailable_message(library.error()));
  ComputeCore api(std::move(library));
  bind(api.library_, api.create_operation, "HcsCreateOperation");
  bind(api.library_, api.close_operation, "HcsCloseOperation");
  bind(api.library_, api.wait_for_operation_result, "HcsWaitForOperationResult");
  bind(api.library_, api.cancel_operation, "HcsCancelOperation");
  bind(api.library_, api.create_compute_system, "HcsCreateComputeSystem");
  bind(api.library_, api.start_compute_system, "HcsStartComputeSystem");
  bind(api.library_, api.terminate_compute_system, "HcsTerminateComputeSystem");
  bind(api.library_, api.close_compute_system, "HcsCloseComputeSystem");
  bind(api.library_, api.get_compute_system_properties, "HcsGetComputeSystemProperties");
  bind(api.library_, api.grant_vm_access, "HcsGrantVmAccess");
  bind(api.library_, api.revoke_vm_access, "HcsRevokeVmAccess");
  return api;
}

}  // namespace airlock::sandbox::windows
