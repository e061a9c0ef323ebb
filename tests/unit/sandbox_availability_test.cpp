// Whether a Linux sandbox can be had, and what the backend says when it cannot: never a weaker sandbox.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "sandbox/linux/linux_backend.h"
#include "sandbox_test_support.h"

namespace airlock::sandbox::testing {
namespace {

bool write_file(const char* path, const std::string& content) {
  const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool written = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ::close(fd);
  return written;
}

// Moves this process into a user namespace of its own whose user.max_user_namespaces is 0 (the sysctl is per
// user namespace), so it sees what a host with user namespaces disabled shows, without touching the host.
std::string forbid_user_namespaces_here() {
  const uid_t uid = ::geteuid();
  const gid_t gid = ::getegid();
  if (::unshare(CLONE_NEWUSER) != 0) return "unshare failed";
  if (!write_file("/proc/self/setgroups", "deny") || !write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") ||
      !write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1") ||
      !write_file("/proc/sys/user/max_user_namespaces", "0")) {
    return "could not forbid user namespaces";
  }
  return "";
}

std::string outcome_where_user_namespaces_are_forbidden(const LaunchSpec& spec) {
  std::string outcome = forbid_user_namespaces_here();
  if (!outcome.empty()) return outcome;
  try {
    make_linux_backend()->start(spec);
    outcome = "start() succeeded";
  } catch (const SandboxUnavailable& unavailable) {
    outcome = std::string("unavailable: ") + unavailable.what();
  } catch (const std::exception& other) {
    outcome = std::string("other error: ") + other.what();
  }
  const auto reason = make_linux_backend()->unavailable_reason();
  return outcome + "\nreason: " + (reason ? *reason : "none");
}

TEST_CASE("sandbox: where user namespaces are forbidden, start() and the probe say why and how to fix it") {
  TempWorkspace workspace;
  const auto spec = shell_spec(workspace, "true");
  int report[2];
  REQUIRE(::pipe(report) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(report[0]);
    const std::string outcome = outcome_where_user_namespaces_are_forbidden(spec);
    ::_exit(::write(report[1], outcome.data(), outcome.size()) == static_cast<ssize_t>(outcome.size()) ? 0 : 1);
  }
  ::close(report[1]);
  std::string outcome;
  char buffer[1024];
  for (ssize_t got; (got = ::read(report[0], buffer, sizeof buffer)) > 0;) outcome.append(buffer, static_cast<std::size_t>(got));
  ::close(report[0]);
  int wait_status = 0;
  REQUIRE(::waitpid(child, &wait_status, 0) == child);
  CHECK_MESSAGE(outcome.starts_with("unavailable: creating the sandbox's namespaces: clone3 failed: No space left on device."),
                outcome);
  CHECK(outcome.find("sysctl -w user.max_user_namespaces=") != std::string::npos);
  CHECK(outcome.find("\nreason: creating the sandbox's namespaces") != std::string::npos);
}

TEST_CASE("sandbox: modes the backend does not offer are refused, never weakened") {
  TempWorkspace workspace;
  auto backend = make_linux_backend();
  auto spec = shell_spec(workspace, "true");
  spec.policy.network = Network::host;
  CHECK_THROWS_AS(backend->start(spec), SandboxUnavailable);
  spec = shell_spec(workspace, "true");
  spec.policy.isolation = Isolation::vm;
  CHECK_THROWS_AS(backend->start(spec), SandboxUnavailable);
}

TEST_CASE("sandbox: the backend probes this host honestly") {
  auto backend = make_linux_backend();
  CHECK(backend->isolation() == Isolation::process);
  CHECK_FALSE(backend->unavailable_reason().has_value());
  const auto reports = backend->probe();
  CHECK(protection_named(reports, "user namespace").active);
  CHECK(protection_named(reports, "network namespace").active);
  CHECK(protection_named(reports, "pivot_root filesystem").active);
  CHECK(protection_named(reports, "no_new_privs").active);
}

}  // namespace
}  // namespace airlock::sandbox::testing
