#include "sandbox/linux/resource_limits.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>

namespace airlock::sandbox::linux_backend {
namespace {

// A limit can only be lowered without CAP_SYS_RESOURCE, so a request above the inherited hard limit gets that.
bool set_limit(int resource, const char* name, rlim_t soft, rlim_t hard, ChildFailure& failure) {
  rlimit inherited{};
  if (::getrlimit(resource, &inherited) != 0) return fail(failure, errno, "getrlimit", "reading %s", name);
  const rlimit limit{.rlim_cur = std::min(soft, inherited.rlim_max), .rlim_max = std::min(hard, inherited.rlim_max)};
  if (::setrlimit(resource, &limit) != 0) {
    return fail(failure, errno, "setrlimit", "setting %s to %llu", name, static_cast<unsigned long long>(soft));
  }
  return true;
}

rlim_t at_least(std::int64_t value, rlim_t minimum) {
  return value < static_cast<std::int64_t>(minimum) ? minimum : static_cast<rlim_t>(value);
}

}  // namespace

std::int64_t sandbox_task_limit(const Limits& limits) { return std::max<std::int64_t>(limits.max_processes, 1) + 1; }

bool apply_resource_limits(const Limits& limits, const CgroupLimits& cgroups, ChildFailure& failure) {
  const rlim_t cpu = at_least(limits.cpu_seconds, 1);
  const rlim_t file_size = at_least(limits.file_size_bytes, 0);
  const rlim_t open_files = at_least(limits.open_files, 3);
  const rlim_t memory = at_least(limits.memory_bytes, 1 << 20);
  const rlim_t tasks = static_cast<rlim_t>(sandbox_task_limit(limits));
  return set_limit(RLIMIT_CPU, "RLIMIT_CPU", cpu, cpu + 1, failure) &&
         set_limit(RLIMIT_FSIZE, "RLIMIT_FSIZE", file_size, file_size, failure) &&
         set_limit(RLIMIT_NOFILE, "RLIMIT_NOFILE", open_files, open_files, failure) &&
         set_limit(RLIMIT_CORE, "RLIMIT_CORE", 0, 0, failure) &&
         (cgroups.memory || set_limit(RLIMIT_DATA, "RLIMIT_DATA", memory, memory, failure)) &&
         (cgroups.pids || set_limit(RLIMIT_NPROC, "RLIMIT_NPROC", tasks, tasks, failure));
}

}  // namespace airlock::sandbox::linux_backend
