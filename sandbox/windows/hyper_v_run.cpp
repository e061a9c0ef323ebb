#include "sandbox/windows/hyper_v_run.h"

#include <sddl.h>

#include <chrono>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/windows/existing_protected_paths.h"
#include "sandbox/windows/hyper_v_launch_plan.h"
#include "sandbox/windows/hv_socket_listener.h"
#include "sandbox/windows/utf16.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

constexpr int kLinuxSigkill = 9;  // the guest's signal numbers are Linux's

ExitStatus setup_failed(std::string message) {
  return ExitStatus{.kind = ExitStatus::Kind::setup_failed, .message = std::move(message)};
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
  const UtilityVmPlan plan =
      plan_utility_vm(spec.policy, settings.image, existing_protected_paths(spec.policy, *workspace),
                      {.processors = settings.host_processors, .user_sid = current_user_sid()});
  std::unique_ptr<HyperVRun> run(new HyperVRun(std::move(api)));
  run->system_.emplace(ComputeSystem::create(*run->api_, vm_name(), plan.document, settings.timeouts));
  // The listener exists before the VM starts, so the agent's first connection finds it.
  HvSocketListener listener = HvSocketListener::listen(run->system_->runtime_id(), kAgentVsockPort);
  run->system_->start();
  AgentSocket agent = listener.accept(settings.agent_connect_ms);
  HyperVRun* self = run.get();
  run->relay_ = std::make_unique<AgentStreamRelay>(
      std::move(agent), vm::encode_launch(plan_hyper_v_launch(spec, plan, std::chrono::system_clock::now())),
      [self] { self->stop_vm(); });
  return run;
}

HyperVRun::~HyperVRun() {
  relay_.reset();
  // ComputeSystem's end terminates a VM still running and closes its handle.
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
  stop_vm();
  relay_->close_agent();
}

std::optional<ExitStatus> HyperVRun::poll() {
  if (status_) return status_;
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
