#include "sandbox/windows/job_object.h"

#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

void set_information(HANDLE job, JOBOBJECTINFOCLASS kind, void* info, DWORD size, const char* what) {
  if (!::SetInformationJobObject(job, kind, info, size))
    throw_last_error(std::string("SetInformationJobObject(") + what + ")");
}

void apply_limits(HANDLE job, const JobLimits& limits) {
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION extended{};
  auto& basic = extended.BasicLimitInformation;
  basic.LimitFlags = JOB_OBJECT_LIMIT_ACTIVE_PROCESS | JOB_OBJECT_LIMIT_JOB_MEMORY | JOB_OBJECT_LIMIT_PROCESS_MEMORY |
                     JOB_OBJECT_LIMIT_JOB_TIME;
  if (limits.kill_on_job_close) basic.LimitFlags |= JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (limits.die_on_unhandled_exception) basic.LimitFlags |= JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
  if (limits.allow_breakaway) basic.LimitFlags |= JOB_OBJECT_LIMIT_BREAKAWAY_OK;
  basic.ActiveProcessLimit = limits.active_processes;
  basic.PerJobUserTimeLimit.QuadPart = limits.user_time_100ns;
  extended.JobMemoryLimit = static_cast<SIZE_T>(limits.job_memory_bytes);
  extended.ProcessMemoryLimit = static_cast<SIZE_T>(limits.process_memory_bytes);
  set_information(job, JobObjectExtendedLimitInformation, &extended, sizeof extended, "extended limits");

  if (limits.restrict_ui) {
    JOBOBJECT_BASIC_UI_RESTRICTIONS ui{};
    ui.UIRestrictionsClass = JOB_OBJECT_UILIMIT_DESKTOP | JOB_OBJECT_UILIMIT_DISPLAYSETTINGS |
                             JOB_OBJECT_UILIMIT_EXITWINDOWS | JOB_OBJECT_UILIMIT_GLOBALATOMS |
                             JOB_OBJECT_UILIMIT_HANDLES | JOB_OBJECT_UILIMIT_READCLIPBOARD |
                             JOB_OBJECT_UILIMIT_SYSTEMPARAMETERS | JOB_OBJECT_UILIMIT_WRITECLIPBOARD;
    set_information(job, JobObjectBasicUIRestrictions, &ui, sizeof ui, "UI restrictions");
  }

  if (limits.cpu_rate == 0) return;
  JOBOBJECT_CPU_RATE_CONTROL_INFORMATION rate{};
  rate.ControlFlags = JOB_OBJECT_CPU_RATE_CONTROL_ENABLE | JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP;
  rate.CpuRate = limits.cpu_rate;
  set_information(job, JobObjectCpuRateControlInformation, &rate, sizeof rate, "CPU rate");
}

}  // namespace

JobObject JobObject::create(const JobLimits& limits) {
  UniqueHandle job(::CreateJobObjectW(nullptr, nullptr));
  if (!job) throw_last_error("CreateJobObjectW");
  UniqueHandle port(::CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1));
  if (!port) throw_last_error("CreateIoCompletionPort");
  JOBOBJECT_ASSOCIATE_COMPLETION_PORT association{};
  association.CompletionKey = job.get();
  association.CompletionPort = port.get();
  set_information(job.get(), JobObjectAssociateCompletionPortInformation, &association, sizeof association,
                  "completion port");
  apply_limits(job.get(), limits);
  return JobObject(std::move(job), std::move(port));
}

void JobObject::assign(HANDLE process) const {
  if (!::AssignProcessToJobObject(job_.get(), process)) throw_last_error("AssignProcessToJobObject");
}

void JobObject::terminate(UINT exit_code) const {
  // Fails only for a job that is already gone; the tree is then gone too.
  ::TerminateJobObject(job_.get(), exit_code);
}

std::uint32_t JobObject::active_processes() const {
  JOBOBJECT_BASIC_ACCOUNTING_INFORMATION accounting{};
  if (!::QueryInformationJobObject(job_.get(), JobObjectBasicAccountingInformation, &accounting, sizeof accounting,
                                   nullptr))
    throw_last_error("QueryInformationJobObject(accounting)");
  return accounting.ActiveProcesses;
}

void JobObject::wait_until_empty(DWORD timeout_ms) const {
  const ULONGLONG deadline = ::GetTickCount64() + timeout_ms;
  while (active_processes() != 0) {
    const ULONGLONG now = ::GetTickCount64();
    if (now >= deadline) return;
    next_event(static_cast<DWORD>(deadline - now));
  }
}

std::optional<JobEvent> JobObject::next_event(DWORD timeout_ms) const {
  for (;;) {
    DWORD message = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED detail = nullptr;
    if (!::GetQueuedCompletionStatus(port_.get(), &message, &key, &detail, timeout_ms)) return std::nullopt;
    switch (message) {
      case JOB_OBJECT_MSG_NEW_PROCESS: return JobEvent::process_started;
      case JOB_OBJECT_MSG_EXIT_PROCESS: return JobEvent::process_exited;
      case JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO: return JobEvent::all_processes_exited;
      case JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT: return JobEvent::process_limit;
      case JOB_OBJECT_MSG_JOB_MEMORY_LIMIT:
      case JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT: return JobEvent::memory_limit;
      case JOB_OBJECT_MSG_END_OF_JOB_TIME:
      case JOB_OBJECT_MSG_END_OF_PROCESS_TIME: return JobEvent::cpu_time_limit;
      case JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS: return JobEvent::abnormal_exit;
      default: continue;  // notifications no run cares about
    }
  }
}

}  // namespace airlock::sandbox::windows
