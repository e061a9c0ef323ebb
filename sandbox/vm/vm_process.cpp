#include "sandbox/vm/vm_process.h"

#include <fcntl.h>
#include <signal.h>

#include "sandbox/linux/kernel_calls.h"

namespace airlock::sandbox::vm {
namespace {

ExitStatus setup_failed(std::string message) {
  ExitStatus status;
  status.kind = ExitStatus::Kind::setup_failed;
  status.message = std::move(message);
  return status;
}

std::string last_lines(const std::string& console) {
  std::string tail = console;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
  const std::size_t keep = 600;
  if (tail.size() > keep) tail = "..." + tail.substr(tail.size() - keep);
  return tail.empty() ? "(nothing)" : tail;
}

}  // namespace

VmProcess::VmProcess(BlankVm vm, bool prebooted, ProgramPipes pipes, RelayEnds relay_ends, std::string launch_payload,
                     UniqueFd layer)
    : vm_(std::move(vm)), prebooted_(prebooted), pipes_(std::move(pipes)), layer_(std::move(layer)), overlay_(layer_.valid()) {
  relay_ends.channel = vm_.take_agent_channel();
  relay_ends.console = vm_.take_console();
  relay_ends.transport_end = UniqueFd(::fcntl(vm_.pidfd(), F_DUPFD_CLOEXEC, 3));
  if (layer_) relay_ends.layer_folder = UniqueFd(::fcntl(layer_.get(), F_DUPFD_CLOEXEC, 3));
  relay_ = std::make_unique<AgentRelay>(std::move(relay_ends), std::move(launch_payload), [this] { vm_.kill(); });
}

VmProcess::~VmProcess() {
  vm_.kill();
  relay_.reset();
}

void VmProcess::kill() {
  if (status_) return;
  killed_by_caller_ = true;
  // An overlay run's changes live in the guest until its agent sends them: let it, briefly, so a cancelled or
  // timed-out run keeps its layer for review as a process-isolated one does.
  if (overlay_) return relay_->request_stop();
  vm_.kill();
}

std::optional<ExitStatus> VmProcess::poll() {
  if (status_) return status_;
  if (!relay_->done()) return std::nullopt;
  const std::string qemu_end = vm_.reap();
  status_ = status_from_relay(qemu_end);
  return status_;
}

ExitStatus VmProcess::status_from_relay(const std::string& qemu_end) const {
  const RelayOutcome& outcome = relay_->outcome();
  if (outcome.report) return *outcome.report;
  if (killed_by_caller_) {
    ExitStatus status;
    status.kind = ExitStatus::Kind::signaled;
    status.signal = SIGKILL;
    return status;
  }
  if (!outcome.protocol_error.empty())
    return setup_failed("the guest agent broke the protocol (" + outcome.protocol_error + "); the VM was stopped");
  return setup_failed("the VM stopped before its agent reported (QEMU " + qemu_end + "). Guest console: " +
                      last_lines(outcome.console_tail));
}

}  // namespace airlock::sandbox::vm
