#include "sandbox/linux/run_cgroup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

#include <spdlog/spdlog.h>

#include "sandbox/linux/limit_detection.h"
#include "sandbox/linux/resource_limits.h"
#include "sandbox/unique_fd.h"

namespace airlock::sandbox::linux_backend {
namespace {

namespace fs = std::filesystem;

fs::path group_name() {
  static std::atomic<unsigned long> sequence{0};
  return std::string(kRunCgroupPrefix) + std::to_string(::getpid()) + "-" + std::to_string(sequence++);
}

void write_control(const fs::path& file, const std::string& value) {
  UniqueFd control(::open(file.c_str(), O_WRONLY | O_CLOEXEC));
  if (!control || ::write(control.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size())) {
    throw SandboxUnavailable("setting up the run's cgroup: writing " + value + " to " + file.string() +
                             " failed: " + std::strerror(errno));
  }
}

// The file through which the init joins the group: cgroup v1's per-thread "tasks" lets it move itself without
// the threadgroup lock; cgroup v2 has only cgroup.procs.
UniqueFd open_join_file(const fs::path& group, CgroupVersion version) {
  const fs::path file = group / (version == CgroupVersion::v1 ? "tasks" : "cgroup.procs");
  UniqueFd join(::open(file.c_str(), O_WRONLY | O_CLOEXEC));
  if (!join) {
    throw SandboxUnavailable("setting up the run's cgroup: opening " + file.string() + " failed: " + std::strerror(errno));
  }
  return join;
}

// A counter of a flat-keyed control file (memory.events, memory.oom_control, pids.events): "key value" lines.
long long read_counter(const fs::path& file, const std::string& key) {
  std::ifstream control(file);
  std::string name;
  long long value = 0;
  while (control >> name >> value) {
    if (name == key) return value;
  }
  return 0;
}

}  // namespace

RunCgroup::RunCgroup(const CgroupLimits& where, const Limits& limits) : limits_(limits) {
  const fs::path name = group_name();
  auto create = [&](const CgroupParent& parent) {
    const fs::path group = parent.folder / name;
    if (!created_.empty() && created_.back() == group) return group;
    if (::mkdir(group.c_str(), 0755) != 0) {
      throw SandboxUnavailable("creating the run's cgroup: mkdir " + group.string() + " failed: " +
                               std::strerror(errno));
    }
    created_.push_back(group);
    join_files_.push_back(open_join_file(group, parent.version));
    return group;
  };
  try {
    if (where.memory) {
      memory_group_ = create(*where.memory);
      memory_version_ = where.memory->version;
      const std::string bytes = std::to_string(limits.memory_bytes);
      const bool v2 = where.memory->version == CgroupVersion::v2;
      write_control(memory_group_ / (v2 ? "memory.max" : "memory.limit_in_bytes"), bytes);
      // No swap either: memory + swap is held to the same size (v1), or swap to nothing (v2).
      const fs::path swap = memory_group_ / (v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes");
      if (fs::exists(swap)) write_control(swap, v2 ? "0" : bytes);
    }
    if (where.pids) {
      pids_group_ = create(*where.pids);
      write_control(pids_group_ / "pids.max", std::to_string(sandbox_task_limit(limits)));
    }
  } catch (...) {
    remove();
    throw;
  }
}

RunCgroup::RunCgroup(RunCgroup&& other) noexcept
    : memory_version_(std::exchange(other.memory_version_, std::nullopt)),
      memory_group_(std::exchange(other.memory_group_, {})),
      pids_group_(std::exchange(other.pids_group_, {})),
      created_(std::exchange(other.created_, {})),
      join_files_(std::exchange(other.join_files_, {})),
      limits_(other.limits_) {}

RunCgroup& RunCgroup::operator=(RunCgroup&& other) noexcept {
  if (this != &other) {
    remove();
    memory_version_ = std::exchange(other.memory_version_, std::nullopt);
    memory_group_ = std::exchange(other.memory_group_, {});
    pids_group_ = std::exchange(other.pids_group_, {});
    created_ = std::exchange(other.created_, {});
    join_files_ = std::exchange(other.join_files_, {});
    limits_ = other.limits_;
  }
  return *this;
}

RunCgroup::~RunCgroup() { remove(); }

void RunCgroup::remove() {
  join_files_.clear();
  for (const auto& group : created_) {
    // A group left here is removed by the janitor once this server is gone (cgroup_janitor.h).
    if (::rmdir(group.c_str()) != 0) spdlog::warn("removing the run's cgroup {} failed: {}", group.string(), std::strerror(errno));
  }
  created_.clear();
}

int RunCgroup::join() const noexcept {
  // "0" names the writing thread; the init has only one.
  for (const auto& file : join_files_) {
    if (::write(file.get(), "0", 1) != 1) return errno != 0 ? errno : EIO;
  }
  return 0;
}

std::optional<LimitHit> RunCgroup::limit_hit() const {
  if (memory_version_) {
    const bool v2 = *memory_version_ == CgroupVersion::v2;
    if (read_counter(memory_group_ / (v2 ? "memory.events" : "memory.oom_control"), "oom_kill") > 0) {
      char size[32];
      format_size(size, sizeof size, limits_.memory_bytes);
      return LimitHit{LimitKind::memory, std::string("the run reached its memory limit of ") + size +
                                             ": the kernel killed a process of it (" + to_string(*memory_version_) +
                                             " memory controller)"};
    }
  }
  if (!pids_group_.empty() && read_counter(pids_group_ / "pids.events", "max") > 0) {
    return LimitHit{LimitKind::processes, "the run reached its limit of " + std::to_string(limits_.max_processes) +
                                              " processes: the kernel refused a fork (cgroup pids controller)"};
  }
  return std::nullopt;
}

}  // namespace airlock::sandbox::linux_backend
