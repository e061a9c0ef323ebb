#include "sandbox/windows/hyper_v_run.h"

#include <sddl.h>

#include <chrono>

#include <spdlog/spdlog.h>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/windows/existing_protected_paths.h"
#include "sandbox/windows/hcs_errors.h"
#include "sandbox/windows/hyper_v_launch_plan.h"
#include "sandbox/windows/manual_reset_event.h"
#include "sandbox/windows/utf16.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

constexpr int kLinuxSigkill = 9;  // the guest's signal numbers are Linux's

ExitStatus setup_failed(std::string message) {
  return ExitStatus{.kind = ExitStatus::Kind::setup_failed, .message = std::move(message)};
}

// The VM's worker runs under an account of the VM's own, which a file in the user's folders does not let in:
// HcsGrantVmAccess adds that account to the file's ACL (and HcsRevokeVmAccess takes it away), as hcsshim does for
// the disks it attaches; here for the kernel and initramfs too, which a direct boot reads from wherever they are.
void grant_vm_access(const ComputeCore& api, const std::string& vm_name, const WindowsPath& file) {
  const HRESULT result = api.grant_vm_access(to_utf16(vm_name).c_str(), to_utf16(file.str()).c_str());
  if (FAILED(result))
    throw SandboxUnavailable(hcs_failure_message("HcsGrantVmAccess", static_cast<std::uint32_t>(result), {}) +
                             " The utility VM must read its image file " + file.str() +
                             "; letting every VM read the guest image's folder once also does (icacls \"<folder>\" "
                             "/grant *S-1-5-83-0:(OI)(CI)R, S-1-5-83-0 being NT VIRTUAL MACHINE\\Virtual Machines).");
}

// The server's user, in SDDL form: only it may bind the agent's HvSocket service.
std::string current_user_sid() {
  HANDLE raw_token = nullptr;
  if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &raw_token)) throw_last_error("OpenProcessToken");
  const UniqueHandle token(raw_token);
  DWORD size = 0;
  ::GetTokenInformation(token.get(), TokenUser, nullptr, 0, &size);
  std::string buffer(size, '\0');
  if (!::GetTokenInformation(token.get(), TokenUser, buffer.data(), size, &size)) throw_last_error("GetTokenInformation(TokenUser)");
  wchar_t* text = nullptr;
  if (!::ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid, &text))
    throw_last_error("ConvertSidToStringSidW");
  const std::string sid = to_utf8(text);
  ::LocalFree(text);
  return sid;
}

std::string vm_name() {
  static std::atomic<unsigned> counter{0};
  return "airlock-run-" + std::to_string(::GetCurrentProcessId()) + "-" + std::to_string(++counter);
}

}  // namespace

std::unique_ptr<HyperVRun> HyperVRun::start(ComputeCore api, const LaunchSpec& spec, const HyperVSettings& settings) {
  const auto workspace = WindowsPath::parse(spec.policy.workspace.string());
  if (!workspace)
    throw SandboxUnavailable("the workspace \"" + spec.policy.workspace.string() +
                             "\" is not an absolute Windows path (C:\\... or \\\\server\\share\\...)");
  std::unique_ptr<HyperVRun> run(new HyperVRun(std::move(api), settings));
  run->plan_ = plan_utility_vm(spec.policy, settings.image, existing_protected_folders(spec.policy, *workspace),
                               {.processors = settings.host_processors,
                                .user_sid = current_user_sid(),
                                .console_pipe = GuestConsole::unique_pipe_name()});
  run->spec_ = spec;
  run->thread_ = std::thread([self = run.get()] { self->run(); });
  return run;
}

HyperVRun::HyperVRun(ComputeCore api, const HyperVSettings& settings)
    : api_(std::make_unique<const ComputeCore>(std::move(api))),
      settings_(settings),
      vm_name_(vm_name()),
      relay_pipes_(RelayPipes::make()),
      ended_(make_manual_reset_event("Hyper-V run ended")),
      abort_boot_(make_manual_reset_event("Hyper-V boot abort")),
      shutdown_(make_manual_reset_event("Hyper-V run shutdown")) {
  stdin_server_ = std::move(relay_pipes_.stdin_server);
  stdout_server_ = std::move(relay_pipes_.stdout_server);
  stderr_server_ = std::move(relay_pipes_.stderr_server);
}

HyperVRun::~HyperVRun() {
  killed_ = true;  // a boot still under way is abandoned, not failed
  ::SetEvent(shutdown_.get());
  ::SetEvent(abort_boot_.get());
  cancellation_.cancel();
  if (thread_.joinable()) thread_.join();
  relay_.reset();
  console_.reset();
  // ComputeSystem's end terminates a VM still running and closes its handle.
  system_.reset();
  for (const WindowsPath& file : granted_files_)
    api_->revoke_vm_access(to_utf16(vm_name_).c_str(), to_utf16(file.str()).c_str());
}

void HyperVRun::run() {
  try {
    AgentChannel agent = boot();
    // Planned now, not at start: the request carries the host's clock, which the guest takes as its own.
    relay_ = std::make_unique<AgentStreamRelay>(
        std::move(agent), vm::encode_launch(plan_hyper_v_launch(spec_, plan_, std::chrono::system_clock::now())),
        [this] { stop_vm(); }, std::move(relay_pipes_));
  } catch (const std::exception& error) {
    // After a kill, what failed is the kill's doing; poll() reports the kill.
    if (!killed_) {
      boot_failure_ = boot_failure(error.what());
      spdlog::warn("Hyper-V run {}: {}", vm_name_, boot_failure_);
    }
  }
  boot_over_ = true;
  if (!relay_) {
    // The relay's ends of the program's pipes close here: the server reads the end of an output that never began.
    relay_pipes_ = {};
    stop_vm();
    ::SetEvent(ended_.get());
    return;
  }
  // A kill between the agent's connection and the relay's start found no relay to close.
  if (killed_) relay_->close_agent();
  const HANDLE waits[] = {relay_->done_event(), shutdown_.get()};
  ::WaitForMultipleObjects(2, waits, FALSE, INFINITE);
  ::SetEvent(ended_.get());
}

AgentChannel HyperVRun::boot() {
  // The image may lie anywhere the user unpacked it: the VM is let read each of its files, not only the disk.
  std::vector<WindowsPath> image_files{settings_.image.kernel, settings_.image.initramfs};
  if (settings_.image.system_disk) image_files.push_back(*settings_.image.system_disk);
  for (const WindowsPath& file : image_files) {
    grant_vm_access(*api_, vm_name_, file);
    granted_files_.push_back(file);
  }
  ComputeSystem created = ComputeSystem::create(*api_, vm_name_, plan_.document, settings_.timeouts, &cancellation_);
  {
    const std::lock_guard guard(vm_lock_);
    system_.emplace(std::move(created));
  }
  // The listener exists before the VM starts, so the agent's first connection finds it; so does the console's
  // reader, which connects as soon as the VM serves it.
  const std::unique_ptr<AgentListener> listener = settings_.listen_for_agent(system_->runtime_id());
  console_.emplace(plan_.console_pipe);
  system_->start();
  std::optional<AgentChannel> agent =
      listener->accept(settings_.agent_connect_ms, {abort_boot_.get(), console_->closed_event()});
  if (agent) return std::move(*agent);
  if (::WaitForSingleObject(abort_boot_.get(), 0) == WAIT_OBJECT_0)
    throw SandboxUnavailable("the run ended while its utility VM booted");
  throw SandboxUnavailable("the utility VM stopped before its guest agent connected (it panicked, or its init "
                           "ended). Fix: see the guest's console below; the guest image may not match this host");
}

std::string HyperVRun::boot_failure(const std::string& cause) const {
  if (!console_) return cause;
  const std::string tail = console_->tail();
  if (tail.empty()) return cause + ". The guest wrote nothing to its console.";
  return cause + ". The guest's console ended with:\n" + tail;
}

void HyperVRun::stop_vm() {
  const std::lock_guard guard(vm_lock_);
  try {
    if (system_) system_->terminate();
  } catch (const SandboxUnavailable&) {
    // A terminate that did not finish in time leaves the handle open (compute_system.h); the VM still dies when
    // the server's last handle to it closes (ShouldTerminateOnLastHandleClosed).
  }
}

void HyperVRun::kill() {
  if (status_) return;
  killed_ = true;
  // Stops the boot wherever it is: the operation HCS is working on, the VM itself, the wait for the agent.
  ::SetEvent(abort_boot_.get());
  cancellation_.cancel();
  stop_vm();
  if (boot_over_ && relay_) relay_->close_agent();
}

std::optional<ExitStatus> HyperVRun::poll() {
  if (status_) return status_;
  if (!boot_over_) return std::nullopt;
  if (!relay_) {
    status_ = killed_ ? ExitStatus{.kind = ExitStatus::Kind::signaled, .signal = kLinuxSigkill}
                      : setup_failed(boot_failure_);
    return status_;
  }
  if (!relay_->done()) return std::nullopt;
  stop_vm();
  const vm::RelayOutcome& outcome = relay_->outcome();
  if (outcome.report) {
    status_ = *outcome.report;
  } else if (killed_) {
    status_ = ExitStatus{.kind = ExitStatus::Kind::signaled, .signal = kLinuxSigkill};
  } else if (!outcome.protocol_error.empty()) {
    status_ = setup_failed("the guest agent broke the protocol (" + outcome.protocol_error + "); the VM was stopped");
  } else {
    status_ = setup_failed("the utility VM's guest agent ended its connection before it reported; the VM was stopped");
  }
  return status_;
}

}  // namespace airlock::sandbox::windows
