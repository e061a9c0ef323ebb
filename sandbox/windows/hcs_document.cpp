#include "sandbox/windows/hcs_document.h"

#include <algorithm>
#include <cstdio>

#include "sandbox/backend.h"
#include "sandbox/vm/agent_protocol.h"

namespace airlock::sandbox::windows {
namespace {

constexpr std::int64_t kGuestOverheadMib = 128;  // kernel, agent and page cache beside the program's limit
constexpr std::int64_t kMinimumGuestMib = 256;
constexpr std::uint32_t kPlan9ReadOnly = 0x1;
// Only SYSTEM and administrators may bind or connect to other HvSocket services of the VM.
constexpr const char* kSystemOnlyDescriptor = "D:P(A;;FA;;;SY)(A;;FA;;;BA)";

std::int64_t guest_memory_mib(const Limits& limits) {
  const std::int64_t program_mib = (limits.memory_bytes + (1 << 20) - 1) >> 20;
  const std::int64_t mib = std::max(kMinimumGuestMib, program_mib + kGuestOverheadMib);
  return (mib + 1) & ~std::int64_t{1};  // Hyper-V sizes VM memory in 2 MiB units
}

std::string kernel_command_line(unsigned processors, bool serial_console) {
  // panic=-1: a guest panic ends the VM at once instead of hanging until the run's timeout. The console is the
  // first legacy UART (ttyS0, at its fixed I/O port, so pci=off does not hide it): 8250_core.nr_uarts=1 registers
  // only that one, and skip_txen_test because Hyper-V's emulated UART fails the transmitter test, as hcsshim
  // notes. quiet keeps a healthy boot silent; warnings, panics and the agent's own errors still reach it.
  const std::string console =
      serial_console ? "8250_core.nr_uarts=1 8250_core.skip_txen_test=1 console=ttyS0,115200" : "8250_core.nr_uarts=0";
  return "quiet panic=-1 pci=off " + console + " nr_cpus=" + std::to_string(processors) +
         " airlock.agent=vsock:" + std::to_string(kAgentVsockPort);
}

nlohmann::json plan9_share(const std::string& name, const WindowsPath& host_path, bool writable) {
  return {{"Name", name}, {"AccessName", name}, {"Path", host_path.str()}, {"Port", vm::kPlan9VsockPort},
          {"Flags", writable ? 0u : kPlan9ReadOnly}};
}

void reject_unsupported(const Policy& policy) {
  if (policy.network != Network::none)
    throw SandboxUnavailable("network \"host\" is not available with isolation \"vm\" on Windows: its utility VMs "
                             "have no network adapter. Use network \"none\".");
  if (policy.workspace_mode == WorkspaceMode::overlay)
    throw SandboxUnavailable("workspace \"overlay\" is not available on Windows yet. Use \"readonly\" or \"readwrite\".");
}

}  // namespace

std::string hv_socket_service_id(std::uint32_t vsock_port) {
  char id[40];
  std::snprintf(id, sizeof id, "%08x-facb-11e6-bd58-64006a7986d3", static_cast<unsigned>(vsock_port));
  return id;
}

UtilityVmPlan plan_utility_vm(const Policy& policy, const GuestImage& image,
                              const std::vector<std::string>& protected_folders, const UtilityVmHost& host) {
  reject_unsupported(policy);
  const auto workspace = WindowsPath::parse(policy.workspace.string());
  if (!workspace)
    throw SandboxUnavailable("the workspace \"" + policy.workspace.string() +
                             "\" is not an absolute Windows path (C:\\... or \\\\server\\share\\...)");
  if (host.user_sid.empty()) throw std::invalid_argument("plan_utility_vm needs the host user's SID");
  if (!host.console_pipe.empty() && !host.console_pipe.starts_with("\\\\.\\pipe\\"))
    throw std::invalid_argument("a utility VM's console pipe is named \\\\.\\pipe\\...");

  const bool writable = policy.workspace_mode == WorkspaceMode::readwrite;
  UtilityVmPlan plan;
  plan.workspace_guest_path = workspace->guest_path();
  plan.console_pipe = host.console_pipe;
  nlohmann::json shares = nlohmann::json::array({plan9_share("workspace", *workspace, writable)});
  plan.mounts.push_back({"workspace", plan.workspace_guest_path, writable});
  if (writable) {
    // A read-write workspace keeps its protected folders read-only by sharing each once more, read-only, and
    // mounting it over its place.
    for (std::size_t i = 0; i < protected_folders.size(); ++i) {
      const WindowsPath host_path = workspace->child(protected_folders[i]);
      const std::string name = "protected" + std::to_string(i);
      shares.push_back(plan9_share(name, host_path, false));
      plan.mounts.push_back({name, host_path.guest_path(), false});
    }
  }

  const unsigned processors = std::max(1u, host.processors / 2);  // the editor keeps half of the machine
  plan.document = {
      {"Owner", "airlock"},
      {"SchemaVersion", {{"Major", 2}, {"Minor", 1}}},
      // If the server dies, HCS closes its handle and the VM dies with it.
      {"ShouldTerminateOnLastHandleClosed", true},
      {"VirtualMachine",
       {{"StopOnReset", true},
        {"Chipset",
         {{"LinuxKernelDirect",
           {{"KernelFilePath", image.kernel.str()},
            {"InitRdPath", image.initramfs.str()},
            {"KernelCmdLine", kernel_command_line(processors, !host.console_pipe.empty())}}}}},
        {"ComputeTopology",
         {{"Memory", {{"SizeInMB", guest_memory_mib(policy.limits)}, {"AllowOvercommit", true}}},
          {"Processor", {{"Count", processors}}}}},
        // No "NetworkAdapters": the VM has no network device at all.
        {"Devices",
         {{"HvSocket",
           {{"HvSocketConfig",
             {{"DefaultBindSecurityDescriptor", kSystemOnlyDescriptor},
              {"DefaultConnectSecurityDescriptor", kSystemOnlyDescriptor},
              {"ServiceTable",
               {{hv_socket_service_id(kAgentVsockPort),
                 {{"BindSecurityDescriptor", "D:P(A;;FA;;;" + host.user_sid + ")"},
                  {"ConnectSecurityDescriptor", kSystemOnlyDescriptor},
                  {"AllowWildcardBinds", true}}}}}}}}},
          {"Plan9", {{"Shares", shares}}}}}}}};
  // The guest's userland, read-only: every run sees the same system, and none can change it for the next.
  plan.system_disk = image.system_disk.has_value();
  if (plan.system_disk)
    plan.document["VirtualMachine"]["Devices"]["Scsi"] = {
        {"0",
         {{"Attachments",
           {{"0", {{"Type", "VirtualDisk"}, {"Path", image.system_disk->str()}, {"ReadOnly", true}}}}}}}};
  // COM1: the VM is the pipe's server; the host reads the guest's console as its client (guest_console.h).
  if (!host.console_pipe.empty())
    plan.document["VirtualMachine"]["Devices"]["ComPorts"] = {{"0", {{"NamedPipe", host.console_pipe}}}};
  return plan;
}

}  // namespace airlock::sandbox::windows
