#pragma once

// The HCS schema 2.1 document of a run's utility VM: the project's guest kernel and initramfs booted directly
// (LinuxKernelDirect), the guest's system disk (its Linux userland) attached read-only over SCSI, the workspace
// shared over Plan9 read-only or per policy, no network adapter at all, memory and processors bounded, one HvSocket
// service through which the guest agent calls the host, and the guest's serial console on a named pipe of the run's
// own so the host can tell why a guest died before its agent connected.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/policy.h"
#include "sandbox/windows/windows_path.h"

namespace airlock::sandbox::windows {

// The vsock port the guest agent connects to; HvSocket names it by the GUID from hv_socket_service_id().
inline constexpr std::uint32_t kAgentVsockPort = 46000;

// Linux guests reach host HvSocket services through AF_VSOCK; Hyper-V maps vsock port P to this service GUID.
std::string hv_socket_service_id(std::uint32_t vsock_port);

struct GuestImage {
  WindowsPath kernel;
  WindowsPath initramfs;
  // A fixed VHD holding an ext4 file system labelled vm::kSystemDiskLabel (agent_protocol.h), by which the agent
  // finds it; find_hyper_v_image always has one.
  std::optional<WindowsPath> system_disk;
};

// A Plan9 share and where the guest agent mounts it.
struct GuestMount {
  std::string share;       // Plan9 share name (the 9p aname)
  std::string guest_path;  // absolute path in the guest
  bool writable = false;
  bool operator==(const GuestMount&) const = default;
};

struct UtilityVmPlan {
  nlohmann::json document;
  std::vector<GuestMount> mounts;  // in mount order: the workspace first, protected paths over it
  std::string workspace_guest_path;
  std::string console_pipe;  // the host's name of the guest's console (UtilityVmHost::console_pipe)
  bool system_disk = false;  // the guest's system disk is attached
};

struct UtilityVmHost {
  unsigned processors = 1;
  std::string user_sid;  // SDDL form (S-1-5-21-...): only this user may bind the agent's service
  // \\.\pipe\... : the VM serves its first serial port (the guest's ttyS0, its kernel console) on this pipe;
  // empty: the VM has no serial port.
  std::string console_pipe;
};

// Throws SandboxUnavailable for what a utility VM cannot provide yet (network "host", workspace "overlay") and for
// a workspace that is not an absolute Windows path; std::invalid_argument for a host without its user's SID or a
// console pipe not named \\.\pipe\.... protected_folders: the policy's protected paths that are real folders
// in the workspace (existing_protected_folders: a Plan9 share needs one).
UtilityVmPlan plan_utility_vm(const Policy& policy, const GuestImage& image,
                              const std::vector<std::string>& protected_folders, const UtilityVmHost& host);

}  // namespace airlock::sandbox::windows
