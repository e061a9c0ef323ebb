#pragma once

// The Host Compute Service API (computecore.dll), loaded at run time: only the calls a utility VM needs.

#include <windows.h>

#include <computecore.h>

#include "sandbox/windows/system_library.h"

namespace airlock::sandbox::windows {

class ComputeCore {
 public:
  // Throws SandboxUnavailable (-32010) with the cause and the fix when computecore.dll or one of its calls is
  // missing: a Windows without Hyper-V's management API, or one too old.
  static ComputeCore load();

  decltype(&::HcsCreateOperation) create_operation = nullptr;
  decltype(&::HcsCloseOperation) close_operation = nullptr;
  decltype(&::HcsWaitForOperationResult) wait_for_operation_result = nullptr;
  decltype(&::HcsCancelOperation) cancel_operation = nullptr;
  decltype(&::HcsCreateComputeSystem) create_compute_system = nullptr;
  decltype(&::HcsStartComputeSystem) start_compute_system = nullptr;
  decltype(&::HcsTerminateComputeSystem) terminate_compute_system = nullptr;
  decltype(&::HcsCloseComputeSystem) close_compute_system = nullptr;
  decltype(&::HcsGetComputeSystemProperties) get_compute_system_properties = nullptr;
  decltype(&::HcsGrantVmAccess) grant_vm_access = nullptr;
  decltype(&::HcsRevokeVmAccess) revoke_vm_access = nullptr;

 private:
  explicit ComputeCore(SystemLibrary library) : library_(std::move(library)) {}
  SystemLibrary library_;
};

}  // namespace airlock::sandbox::windows
