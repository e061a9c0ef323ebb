#include "sandbox/vm/guest/run_cgroup.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>
#include <string>

#include "sandbox/vm/guest/guest_error.h"

namespace airlock::sandbox::vm::guest {
namespace {

constexpr const char* kMountPoint = "/.cgroup";

bool write_at(int folder, const char* name, const std::string& value) {
  UniqueFd file(::openat(folder, name, O_WRONLY | O_CLOEXEC));
  if (!file) return false;
  return ::write(file.get(), value.data(), value.size()) == static_cast<ssize_t>(value.size());
}

void write_or_fail(int folder, const char* name, const std::string& value) {
  if (!write_at(folder, name, value)) fail_call("write", std::string("setting cgroup ") + name + " to " + value);
}

std::string read_at(int folder, const char* name) {
  UniqueFd file(::openat(folder, name, O_RDONLY | O_CLOEXEC));
  if (!file) return {};
  char buffer[4096];
  const ssize_t n = ::read(file.get(), buffer, sizeof buffer);
  return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

RunCgroup RunCgroup::create(const Limits& limits) {
  if (::mkdir(kMountPoint, 0700) != 0 && errno != EEXIST) fail_call("mkdir", "creating the cgroup mount point");
  if (::mount("cgroup2", kMountPoint, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    fail_call("mount", "mounting cgroup2");
  UniqueFd root(::open(kMountPoint, O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (!root) fail_call("open", "opening the cgroup root");
  write_or_fail(root.get(), "cgroup.subtree_control", "+memory +pids");
  if (::mkdirat(root.get(), "run", 0700) != 0) fail_call("mkdir", "creating the run's cgroup");
  UniqueFd group(::openat(root.get(), "run", O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (!group) fail_call("open", "opening the run's cgroup");
  write_or_fail(group.get(), "memory.max", std::to_string(limits.memory_bytes));
  write_or_fail(group.get(), "pids.max", std::to_string(limits.max_processes));
  // The guest has no swap; where a kernel offers it anyway, the limit must not spill into it.
  write_at(group.get(), "memory.swap.max", "0");
  if (::umount2(kMountPoint, MNT_DETACH) != 0) fail_call("umount2", "hiding the cgroup mount");
  ::rmdir(kMountPoint);
  return RunCgroup(std::move(group));
}

bool RunCgroup::join() const { return write_at(group_.get(), "cgroup.procs", "0"); }

void RunCgroup::kill_all() const { write_at(group_.get(), "cgroup.kill", "1"); }

bool RunCgroup::memory_limit_hit() const {
  std::istringstream events(read_at(group_.get(), "memory.events"));
  std::string key;
  long long count = 0;
  while (events >> key >> count) {
    if (key == "oom_kill" && count > 0) return true;
  }
  return false;
}

}  // namespace airlock::sandbox::vm::guest
