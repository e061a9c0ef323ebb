#include "sandbox/linux/cgroup_janitor.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "sandbox/linux/cgroup_placement.h"
#include "sandbox/unique_fd.h"

namespace airlock::sandbox::linux_backend {
namespace {

// The sandboxes of a dead server die within milliseconds; a group still busy after this is left to the next
// server's sweep.
constexpr int kCleanupAttempts = 200;
constexpr timespec kCleanupPause{.tv_sec = 0, .tv_nsec = 50'000'000};

// The pid in kRunCgroupPrefix<pid>-<n>, or 0 when the name is not a run's group.
pid_t server_of(const char* name) {
  const std::size_t prefix = std::strlen(kRunCgroupPrefix);
  if (std::strncmp(name, kRunCgroupPrefix, prefix) != 0) return 0;
  pid_t pid = 0;
  const char* digit = name + prefix;
  for (; *digit >= '0' && *digit <= '9'; ++digit) pid = pid * 10 + (*digit - '0');
  return *digit == '-' ? pid : 0;
}

bool is_gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

[[noreturn]] void clean_up_after_server(int server_pipe, pid_t server, const std::vector<const char*>& folders) {
  char byte;
  ssize_t got;
  do {
    got = ::read(server_pipe, &byte, 1);
  } while (got > 0 || (got < 0 && errno == EINTR));
  for (int attempt = 0; attempt < kCleanupAttempts; ++attempt) {
    int busy = 0;
    for (const char* folder : folders) busy += remove_abandoned_groups(folder, server);
    if (busy == 0) break;
    ::nanosleep(&kCleanupPause, nullptr);
  }
  ::_exit(0);
}

// In the forked child, where only system calls are safe (another thread of the server may hold a lock):
// detaches from the server's session and stdio, then forks the janitor and leaves, so that the janitor is
// nobody's child to reap.
[[noreturn]] void become_janitor(int server_pipe, const std::vector<const char*>& folders) {
  const pid_t server = ::getppid();
  const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0 || ::setsid() < 0 || ::dup2(null, 0) < 0 || ::dup2(null, 1) < 0 || ::dup2(null, 2) < 0 ||
      ::dup2(server_pipe, 3) < 0 || ::close_range(4, ~0U, 0) != 0 || ::chdir("/") != 0) {
    ::_exit(1);
  }
  ::prctl(PR_SET_NAME, "airlock-cgroups", 0, 0, 0);
  const pid_t janitor = ::_Fork();
  if (janitor == 0) clean_up_after_server(3, server, folders);
  ::_exit(janitor < 0 ? 1 : 0);
}

}  // namespace

int remove_abandoned_groups(const char* folder, pid_t ended_server) {
  UniqueFd directory(::open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!directory) return 0;
  int busy = 0;
  alignas(dirent64) char entries[4096];
  ssize_t got;
  while ((got = ::getdents64(directory.get(), entries, sizeof entries)) > 0) {
    for (ssize_t offset = 0; offset < got;) {
      const auto* entry = reinterpret_cast<const dirent64*>(entries + offset);
      offset += entry->d_reclen;
      const pid_t server = server_of(entry->d_name);
      if (server <= 0 || (server != ended_server && !is_gone(server))) continue;
      if (::unlinkat(directory.get(), entry->d_name, AT_REMOVEDIR) != 0 && errno == EBUSY) ++busy;
    }
  }
  return busy;
}

std::string start_cgroup_janitor(const std::vector<std::string>& folders) {
  std::vector<const char*> folder_names;
  for (const auto& folder : folders) folder_names.push_back(folder.c_str());
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) return std::string("pipe2 failed: ") + std::strerror(errno);
  UniqueFd read_end(ends[0]);
  // Never closed: the server's death, or its exit, closes it, and the janitor sees end of file.
  const int write_end = ends[1];
  const pid_t child = ::_Fork();
  if (child < 0) {
    ::close(write_end);
    return std::string("fork failed: ") + std::strerror(errno);
  }
  if (child == 0) {
    ::close(write_end);
    become_janitor(read_end.get(), folder_names);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "the janitor could not detach from the server";
  return {};
}

}  // namespace airlock::sandbox::linux_backend
