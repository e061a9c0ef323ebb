#pragma once

// The server's handle on one VM run: the VM, the relay thread, and the program's stdio pipes.
// kill() kills QEMU, which is the whole VM (an overlay run's agent first gets up to a second to send the layer);
// destroying the handle kills it at once, stops the relay and reaps QEMU.
// Nothing of a run lives on disk: the agent channel and the console are socketpairs, the workspace is mounted
// in QEMU's mount namespace only.

#include <atomic>
#include <memory>
#include <optional>

#include "sandbox/backend.h"
#include "sandbox/vm/agent_relay.h"
#include "sandbox/vm/blank_vm.h"

namespace airlock::sandbox::vm {

struct ProgramPipes {
  UniqueFd stdin_write;
  UniqueFd stdout_read;
  UniqueFd stderr_read;
};

class VmProcess final : public Process {
 public:
  // Takes the VM, its workspace attached; the relay is created here so it can stop this very VM. `relay_ends`
  // are the program's ends; the VM's own come from `vm`. `layer` is an overlay run's layer folder (invalid
  // otherwise): the relay fills it, the server takes it.
  VmProcess(BlankVm vm, bool prebooted, ProgramPipes pipes, RelayEnds relay_ends, std::string launch_payload, UniqueFd layer);
  ~VmProcess() override;
  VmProcess(const VmProcess&) = delete;
  VmProcess& operator=(const VmProcess&) = delete;

  UniqueFd take_stdin() override { return std::move(pipes_.stdin_write); }
  UniqueFd take_stdout() override { return std::move(pipes_.stdout_read); }
  UniqueFd take_stderr() override { return std::move(pipes_.stderr_read); }
  // Complete once poll() has reported the end: the agent sends the layer after the program, before its report.
  UniqueFd take_overlay_layer() override { return std::move(layer_); }
  int wait_fd() const override { return relay_->done_fd(); }
  std::optional<ExitStatus> poll() override;
  void kill() override;
  std::optional<MachineReport> machine() const override {
    return MachineReport{.vcpus = vm_.shape().vcpus, .memory_mib = vm_.shape().memory_mib, .prebooted = prebooted_};
  }

 private:
  ExitStatus status_from_relay(const std::string& qemu_end) const;

  BlankVm vm_;
  bool prebooted_;
  ProgramPipes pipes_;
  UniqueFd layer_;
  bool overlay_;
  std::atomic<bool> killed_by_caller_{false};
  std::optional<ExitStatus> status_;
  // Last: destroyed first, so its thread is gone before the pidfd it signals is closed.
  std::unique_ptr<AgentRelay> relay_;
};

}  // namespace airlock::sandbox::vm
