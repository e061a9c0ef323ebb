// Landlock, the filesystem layer below the mounts, tried on the host's own filesystem where no mount stands in
// the way: should a mount expose more than planned, a run still reads, writes and executes only where its rules
// allow. Run as root and as an unprivileged user (setpriv --reuid=65534 --regid=65534 --clear-groups).

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <cstring>
#include <fstream>

#include "sandbox/linux/landlock_rules.h"
#include "sandbox/policy.h"

namespace airlock::sandbox::testing {
namespace {

namespace fs = std::filesystem;

// The right as numbered in the kernel's ABI; Debian 12's uapi header predates it.
constexpr std::uint64_t kAccessResolveUnix = 1ULL << 16;

// A workspace and, next to it, a program outside every folder the rules name: in /var/tmp, since the rules let
// a run use all of /tmp.
class FolderOutsideTheRules {
 public:
  FolderOutsideTheRules() {
    std::string pattern = "/var/tmp/airlock-landlock-test-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
    fs::create_directory(workspace());
    std::ofstream(workspace() / "notes.txt") << "notes";
    fs::copy_file("/bin/true", program());
  }
  ~FolderOutsideTheRules() { fs::remove_all(path_); }
  fs::path workspace() const { return path_ / "workspace"; }
  fs::path program() const { return path_ / "true"; }

 private:
  fs::path path_;
};

// The errno of `attempt` (0 when it worked) in a child restricted by the rules of a run with `policy`.
template <typename Attempt>
int error_under_rules(const Policy& policy, Attempt attempt) {
  const auto plan = linux_backend::plan_landlock(policy);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    linux_backend::ChildFailure failure;
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || !linux_backend::restrict_filesystem_access(plan, failure)) {
      ::_exit(255);
    }
    ::_exit(attempt() == 0 ? 0 : errno);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) != 255);
  return WEXITSTATUS(status);
}

int open_file(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  ::close(fd);
  return 0;
}

int execute(const fs::path& path) {
  const pid_t child = ::fork();
  if (child < 0) return -1;
  if (child == 0) {
    char* const argv[] = {const_cast<char*>(path.c_str()), nullptr};
    ::execv(path.c_str(), argv);
    ::_exit(errno);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  errno = WEXITSTATUS(status);
  return errno == 0 ? 0 : -1;
}

TEST_CASE("sandbox: Landlock rules hold where no mount does") {
  if (linux_backend::landlock_abi() == 0) {
    MESSAGE("this kernel has no Landlock: nothing to test");
    return;
  }
  FolderOutsideTheRules folder;
  const fs::path notes = folder.workspace() / "notes.txt";
  const fs::path created = folder.workspace() / "new.txt";
  Policy policy{.workspace = folder.workspace(), .workspace_mode = WorkspaceMode::readonly};

  CHECK(error_under_rules(policy, [] { return open_file("/etc/passwd", O_RDONLY); }) == 0);
  CHECK(error_under_rules(policy, [] { return execute("/bin/true"); }) == 0);
  CHECK(error_under_rules(policy, [] { return open_file("/dev/null", O_WRONLY); }) == 0);
  CHECK(error_under_rules(policy, [&] { return open_file(notes, O_RDONLY); }) == 0);
  CHECK(error_under_rules(policy, [&] { return open_file(notes, O_WRONLY); }) == EACCES);
  CHECK(error_under_rules(policy, [&] { return open_file(created, O_CREAT | O_WRONLY); }) == EACCES);
  CHECK(error_under_rules(policy, [&] { return open_file(folder.program(), O_RDONLY); }) == EACCES);
  CHECK(error_under_rules(policy, [&] { return execute(folder.program()); }) == EACCES);
  CHECK_FALSE(fs::exists(created));

  policy.workspace_mode = WorkspaceMode::readwrite;
  CHECK(error_under_rules(policy, [&] { return open_file(created, O_CREAT | O_WRONLY); }) == 0);
  CHECK(fs::exists(created));
}

// A listening unix socket at `path`, or -1.
int listen_at(const fs::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{.sun_family = AF_UNIX, .sun_path = {}};
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 1) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  return fd;
}

int connect_to(const fs::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{.sun_family = AF_UNIX, .sun_path = {}};
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  const int result = fd < 0 ? -1 : ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int error = errno;
  if (fd >= 0) ::close(fd);
  errno = error;
  return result;
}

TEST_CASE("sandbox: from Landlock ABI 9 on, no rule lets a run connect to a unix socket it did not create") {
  CHECK((linux_backend::landlock_handled_access(8) & kAccessResolveUnix) == 0);
  CHECK((linux_backend::landlock_handled_access(9) & kAccessResolveUnix) != 0);
  for (const auto& rule : linux_backend::plan_landlock(Policy{.workspace = "/workspace"}).rules) {
    CHECK((rule.access & kAccessResolveUnix) == 0);
  }
  if (linux_backend::landlock_abi() < 9) {
    MESSAGE("this kernel's Landlock ABI is below 9: a host socket in the workspace stays reachable");
    return;
  }
  FolderOutsideTheRules folder;
  const fs::path host_socket = folder.workspace() / "service.sock";
  const int listener = listen_at(host_socket);
  REQUIRE(listener >= 0);
  REQUIRE(::chmod(host_socket.c_str(), 0777) == 0);
  const Policy policy{.workspace = folder.workspace(), .workspace_mode = WorkspaceMode::readwrite};
  CHECK(error_under_rules(policy, [&] { return connect_to(host_socket); }) == EACCES);
  const fs::path own_socket = folder.workspace() / "own.sock";
  CHECK(error_under_rules(policy, [&] {
          const int own = listen_at(own_socket);
          return own < 0 ? -1 : connect_to(own_socket);
        }) == 0);
  ::close(listener);
}

}  // namespace
}  // namespace airlock::sandbox::testing
