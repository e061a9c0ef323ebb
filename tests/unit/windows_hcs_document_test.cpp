#include <doctest/doctest.h>

#include "sandbox/backend.h"
#include "sandbox/windows/hcs_document.h"

using airlock::sandbox::Network;
using airlock::sandbox::Policy;
using airlock::sandbox::SandboxUnavailable;
using airlock::sandbox::WorkspaceMode;
using namespace airlock::sandbox::windows;

namespace {

GuestImage image() {
  return {*WindowsPath::parse("C:\\Program Files\\Airlock\\vm\\vmlinux"),
          *WindowsPath::parse("C:\\Program Files\\Airlock\\vm\\initramfs.cpio"),
          *WindowsPath::parse("C:\\Program Files\\Airlock\\vm\\system.vhd")};
}

Policy policy(WorkspaceMode mode) {
  Policy p;
  p.workspace = "C:\\Users\\me\\proj";
  p.workspace_mode = mode;
  p.limits.memory_bytes = 300ll << 20;
  return p;
}

const UtilityVmHost kHost{
    .processors = 8, .user_sid = "S-1-5-21-1-2-3-1001", .console_pipe = "\\\\.\\pipe\\airlock-console-7"};

}  // namespace

TEST_CASE("windows hcs document: a read-only workspace, direct kernel boot, no network device") {
  const UtilityVmPlan plan = plan_utility_vm(policy(WorkspaceMode::readonly), image(), {".git"}, kHost);
  const auto& doc = plan.document;
  CHECK(doc["SchemaVersion"] == nlohmann::json{{"Major", 2}, {"Minor", 1}});
  CHECK(doc["ShouldTerminateOnLastHandleClosed"] == true);
  const auto& vm = doc["VirtualMachine"];
  const auto& boot = vm["Chipset"]["LinuxKernelDirect"];
  CHECK(boot["KernelFilePath"] == "C:\\Program Files\\Airlock\\vm\\vmlinux");
  CHECK(boot["InitRdPath"] == "C:\\Program Files\\Airlock\\vm\\initramfs.cpio");
  CHECK(boot["KernelCmdLine"].get<std::string>().find("airlock.agent=vsock:46000") != std::string::npos);
  CHECK(boot["KernelCmdLine"].get<std::string>().find("nr_cpus=4") != std::string::npos);
  CHECK_FALSE(vm["Devices"].contains("NetworkAdapters"));
  CHECK_FALSE(vm.contains("NetworkAdapters"));

  const auto& shares = vm["Devices"]["Plan9"]["Shares"];
  REQUIRE(shares.size() == 1);  // read-only as a whole: protected paths need no share of their own
  CHECK(shares[0]["Path"] == "C:\\Users\\me\\proj");
  CHECK(shares[0]["Flags"] == 1);
  CHECK(shares[0]["Port"] == 564);
  CHECK(plan.mounts == std::vector<GuestMount>{{"workspace", "/mnt/c/Users/me/proj", false}});
  CHECK(plan.workspace_guest_path == "/mnt/c/Users/me/proj");
}

TEST_CASE("windows hcs document: memory and processors are bounded by the policy and the host") {
  const UtilityVmPlan plan = plan_utility_vm(policy(WorkspaceMode::readonly), image(), {}, kHost);
  const auto& topology = plan.document["VirtualMachine"]["ComputeTopology"];
  CHECK(topology["Memory"]["SizeInMB"] == 428);  // 300 MiB for the program + 128 for the guest
  CHECK(topology["Processor"]["Count"] == 4);

  Policy tiny = policy(WorkspaceMode::readonly);
  tiny.limits.memory_bytes = (1 << 20) + 1;
  const auto small =
      plan_utility_vm(tiny, image(), {}, {.processors = 1, .user_sid = "S-1-5-18", .console_pipe = kHost.console_pipe});
  CHECK(small.document["VirtualMachine"]["ComputeTopology"]["Memory"]["SizeInMB"] == 256);
  CHECK(small.document["VirtualMachine"]["ComputeTopology"]["Processor"]["Count"] == 1);

  Policy odd = policy(WorkspaceMode::readonly);
  odd.limits.memory_bytes = 301ll << 20;
  CHECK(plan_utility_vm(odd, image(), {}, kHost).document["VirtualMachine"]["ComputeTopology"]["Memory"]["SizeInMB"] ==
        430);
}

TEST_CASE("windows hcs document: a read-write workspace keeps its protected folders read-only") {
  const UtilityVmPlan plan = plan_utility_vm(policy(WorkspaceMode::readwrite), image(), {".git", ".vscode"}, kHost);
  const auto& shares = plan.document["VirtualMachine"]["Devices"]["Plan9"]["Shares"];
  REQUIRE(shares.size() == 3);
  CHECK(shares[0]["Flags"] == 0);
  CHECK(shares[1]["Path"] == "C:\\Users\\me\\proj\\.git");
  CHECK(shares[1]["Flags"] == 1);
  CHECK(shares[2]["Name"] == "protected1");
  CHECK(plan.mounts == std::vector<GuestMount>{{"workspace", "/mnt/c/Users/me/proj", true},
                                               {"protected0", "/mnt/c/Users/me/proj/.git", false},
                                               {"protected1", "/mnt/c/Users/me/proj/.vscode", false}});
}

TEST_CASE("windows hcs document: only the server's user may bind the agent's HvSocket service") {
  CHECK(hv_socket_service_id(46000) == "0000b3b0-facb-11e6-bd58-64006a7986d3");
  const UtilityVmPlan plan = plan_utility_vm(policy(WorkspaceMode::readonly), image(), {}, kHost);
  const auto& config = plan.document["VirtualMachine"]["Devices"]["HvSocket"]["HvSocketConfig"];
  CHECK(config["DefaultBindSecurityDescriptor"] == "D:P(A;;FA;;;SY)(A;;FA;;;BA)");
  const auto& service = config["ServiceTable"]["0000b3b0-facb-11e6-bd58-64006a7986d3"];
  CHECK(service["BindSecurityDescriptor"] == "D:P(A;;FA;;;S-1-5-21-1-2-3-1001)");
}

TEST_CASE("windows hcs document: what a utility VM cannot provide is refused, never weakened") {
  Policy networked = policy(WorkspaceMode::readonly);
  networked.network = Network::host;
  CHECK_THROWS_AS(plan_utility_vm(networked, image(), {}, kHost), SandboxUnavailable);
  CHECK_THROWS_AS(plan_utility_vm(policy(WorkspaceMode::overlay), image(), {}, kHost), SandboxUnavailable);
  Policy posix = policy(WorkspaceMode::readonly);
  posix.workspace = "/home/me/proj";
  CHECK_THROWS_WITH_AS(plan_utility_vm(posix, image(), {}, kHost),
                       doctest::Contains("not an absolute Windows path"), SandboxUnavailable);
  CHECK_THROWS_AS(plan_utility_vm(policy(WorkspaceMode::readwrite), image(), {"../outside"}, kHost),
                  std::invalid_argument);
}

TEST_CASE("windows hcs document: the guest's system disk is attached read-only over SCSI") {
  const UtilityVmPlan plan = plan_utility_vm(policy(WorkspaceMode::readwrite), image(), {}, kHost);
  const auto& devices = plan.document["VirtualMachine"]["Devices"];
  REQUIRE(devices["Scsi"].size() == 1);
  const auto& attachments = devices["Scsi"]["0"]["Attachments"];
  REQUIRE(attachments.size() == 1);
  CHECK(attachments["0"] == nlohmann::json{{"Type", "VirtualDisk"},
                                           {"Path", "C:\\Program Files\\Airlock\\vm\\system.vhd"},
                                           {"ReadOnly", true}});

  GuestImage without_disk = image();
  without_disk.system_disk.reset();
  CHECK_FALSE(plan_utility_vm(policy(WorkspaceMode::readonly), without_disk, {}, kHost)
                  .document["VirtualMachine"]["Devices"]
                  .contains("Scsi"));
}

TEST_CASE("windows hcs document: the guest's kernel console is COM1 on the run's named pipe") {
  const auto plan = plan_utility_vm(policy(WorkspaceMode::readonly), image(), {}, kHost);
  CHECK(plan.document["VirtualMachine"]["Devices"]["ComPorts"] ==
        nlohmann::json{{"0", {{"NamedPipe", "\\\\.\\pipe\\airlock-console-7"}}}});
  const std::string line = plan.document["VirtualMachine"]["Chipset"]["LinuxKernelDirect"]["KernelCmdLine"];
  // One 8250 UART registered (none would leave ttyS0 without a device), the console on it, and a quiet boot.
  for (const char* option : {"console=ttyS0,115200", "8250_core.nr_uarts=1", "8250_core.skip_txen_test=1", "quiet",
                             "panic=-1"}) {
    CAPTURE(option);
    CHECK((" " + line + " ").find(std::string(" ") + option + " ") != std::string::npos);
  }
  CHECK(line.find("nr_uarts=0") == std::string::npos);

  UtilityVmHost no_pipe = kHost;
  no_pipe.console_pipe = "";
  const auto silent = plan_utility_vm(policy(WorkspaceMode::readonly), image(), {}, no_pipe);
  CHECK_FALSE(silent.document["VirtualMachine"]["Devices"].contains("ComPorts"));
  const std::string silent_line = silent.document["VirtualMachine"]["Chipset"]["LinuxKernelDirect"]["KernelCmdLine"];
  CHECK(silent_line.find("8250_core.nr_uarts=0") != std::string::npos);
  CHECK(silent_line.find("console=") == std::string::npos);

  UtilityVmHost file_not_pipe = kHost;
  file_not_pipe.console_pipe = "C:\\console.log";
  CHECK_THROWS_AS(plan_utility_vm(policy(WorkspaceMode::readonly), image(), {}, file_not_pipe), std::invalid_argument);
}
