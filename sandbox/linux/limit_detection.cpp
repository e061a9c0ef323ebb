#include "sandbox/linux/limit_detection.h"

#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>

#include "sandbox/linux/child_failure.h"
#include "sandbox/linux/resource_limits.h"

namespace airlock::sandbox::linux_backend {
namespace {

// The size-limited filesystem a program can fill: the root plan puts the home folder and /dev/shm in it too.
constexpr const char* kScratch = "/tmp";

bool cpu_limit_reached(const FailedStep& step, const Limits& limits) {
  if (step.signal == SIGXCPU) return true;
  const long cpu_seconds = step.usage->ru_utime.tv_sec + step.usage->ru_stime.tv_sec;
  return step.signal == SIGKILL && cpu_seconds >= limits.cpu_seconds;
}

bool memory_limit_reached(const FailedStep& step, const Limits& limits) {
  const std::int64_t peak_bytes = static_cast<std::int64_t>(step.usage->ru_maxrss) * 1024;
  return peak_bytes >= limits.memory_bytes / 4 * 3;
}

// No block or no inode left in /tmp: the program saw ENOSPC, which never reaches the init.
bool scratch_full() {
  struct statfs usage {};
  return ::statfs(kScratch, &usage) == 0 && (usage.f_bavail == 0 || usage.f_ffree == 0);
}

// The kernel counts the sandbox's processes per user namespace and uid (resource_limits.h). The step that just
// ended was one of them, so the sandbox was at its limit if the init and the step's leftovers fill all but one
// place: a fork by the init, held to one place less, is then refused. With a limit of one process there are no
// leftovers to tell anything.
bool process_limit_reached(const Limits& limits) {
  if (limits.max_processes < 2) return false;
  rlimit own{};
  if (::getrlimit(RLIMIT_NPROC, &own) != 0) return false;
  const rlim_t all_but_the_step = static_cast<rlim_t>(sandbox_task_limit(limits) - 1);
  const rlimit held{.rlim_cur = std::min(all_but_the_step, own.rlim_max), .rlim_max = own.rlim_max};
  if (::setrlimit(RLIMIT_NPROC, &held) != 0) return false;
  const pid_t probe = ::_Fork();
  const int error = errno;
  if (probe == 0) ::_exit(0);
  ::setrlimit(RLIMIT_NPROC, &own);
  if (probe > 0) {
    while (::waitpid(probe, nullptr, __WALL) < 0 && errno == EINTR) {
    }
    return false;
  }
  return error == EAGAIN;
}

}  // namespace

void format_size(char* out, std::size_t size, std::int64_t bytes) {
  if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) {
    format_bounded(out, size, "%lld MiB", static_cast<long long>(bytes >> 20));
  } else if (bytes >= 1024 && bytes % 1024 == 0) {
    format_bounded(out, size, "%lld KiB", static_cast<long long>(bytes >> 10));
  } else {
    format_bounded(out, size, "%lld bytes", static_cast<long long>(bytes));
  }
}

std::optional<LimitKind> limit_behind_failure(const FailedStep& step, const LaunchPlan& plan, char* message,
                                              std::size_t message_size) {
  const Limits& limits = plan.limits;
  char size[32];
  if (cpu_limit_reached(step, limits)) {
    format_bounded(message, message_size, "the program used its CPU time limit of %lld s",
                   static_cast<long long>(limits.cpu_seconds));
    return LimitKind::cpu;
  }
  if (step.signal == SIGXFSZ) {
    format_size(size, sizeof size, limits.file_size_bytes);
    format_bounded(message, message_size, "a file reached the file size limit of %s", size);
    return LimitKind::disk;
  }
  if (!plan.cgroups.memory && memory_limit_reached(step, limits)) {
    char peak[32];
    format_size(peak, sizeof peak, static_cast<std::int64_t>(step.usage->ru_maxrss) * 1024);
    format_size(size, sizeof size, limits.memory_bytes);
    format_bounded(message, message_size,
                   "the program failed with %s in use, near its memory limit of %s (RLIMIT_DATA, per process): "
                   "an allocation was most likely refused",
                   peak, size);
    return LimitKind::memory;
  }
  if (scratch_full()) {
    format_size(size, sizeof size, limits.disk_bytes);
    format_bounded(message, message_size,
                   "/tmp (with the home folder and /dev/shm) is full: the run reached its disk limit of %s", size);
    return LimitKind::disk;
  }
  if (process_limit_met(plan, message, message_size)) return LimitKind::processes;
  return std::nullopt;
}

bool process_limit_met(const LaunchPlan& plan, char* message, std::size_t message_size) {
  if (plan.cgroups.pids || !process_limit_reached(plan.limits)) return false;
  format_bounded(message, message_size, "the run reached its limit of %lld processes (RLIMIT_NPROC)",
                 static_cast<long long>(plan.limits.max_processes));
  return true;
}

}  // namespace airlock::sandbox::linux_backend
