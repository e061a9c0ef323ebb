#pragma once

// A VM that has started booting but belongs to no run yet: QEMU with the host's system folders and an empty
// staging folder shared, its guest agent waiting for a launch request. A run takes it once, gives it the
// workspace (workspace_attach.h) and the launch request; it is never handed to another run. Whether it was
// booted for the run or waited in the pool (vm_pool.h) makes no difference to the run.
//
// QEMU dies with the thread that booted it (PR_SET_PDEATHSIG): that thread must outlive the VM.

#include <cstdint>
#include <string>

#include "sandbox/policy.h"
#include "sandbox/unique_fd.h"
#include "sandbox/vm/qemu_command.h"
#include "sandbox/vm/qemu_launcher.h"
#include "sandbox/vm/staging_folder.h"
#include "sandbox/vm/vm_image.h"

namespace airlock::sandbox::vm {

// What a VM is made of; a pooled VM serves only a run that asks for the same.
struct VmShape {
  Accelerator accelerator = Accelerator::tcg;
  std::int64_t memory_mib = 256;
  int vcpus = 1;
  bool operator==(const VmShape&) const = default;
};

// The VM for a run's limits: its memory limit plus the guest kernel's share, and its vCPUs.
VmShape shape_for(const Limits& limits, Accelerator accelerator);

class BlankVm {
 public:
  // Starts QEMU and returns at once; the guest boots on its own. Throws SandboxUnavailable.
  static BlankVm boot(const VmImage& image, const VmShape& shape);

  BlankVm(BlankVm&&) = default;
  BlankVm& operator=(BlankVm&&) = delete;
  BlankVm(const BlankVm&) = delete;
  // Kills and reaps QEMU if it still runs, then removes the staging folder.
  ~BlankVm();

  const VmShape& shape() const { return shape_; }
  // False once QEMU has ended (a VM that died while it waited in the pool).
  bool alive() const;
  // Mounts the workspace onto the staging folder in QEMU's mount namespace, writable only for readwrite runs
  // (an overlay run's guest writes into a layer of its own). Throws SandboxUnavailable.
  void attach_workspace(const Policy& policy) const;

  // Readable once QEMU has ended; valid until the VM is destroyed.
  int pidfd() const { return qemu_.pidfd.get(); }
  UniqueFd take_agent_channel() { return std::move(agent_); }
  UniqueFd take_console() { return std::move(console_); }
  // Kills QEMU, which is the whole VM. Idempotent; harmless once QEMU has ended.
  void kill() const;
  // Waits for QEMU to end and reaps it; says how it ended. Once only.
  std::string reap();

 private:
  BlankVm(StagingFolder staging, QemuHandle qemu, UniqueFd agent, UniqueFd console, VmShape shape)
      : staging_(std::move(staging)), qemu_(std::move(qemu)), agent_(std::move(agent)), console_(std::move(console)),
        shape_(shape) {}

  // First: removed last, once QEMU is gone.
  StagingFolder staging_;
  QemuHandle qemu_;
  UniqueFd agent_;
  UniqueFd console_;
  VmShape shape_;
  bool reaped_ = false;
};

}  // namespace airlock::sandbox::vm
