// What `airlock doctor` says about the hardening: each protection by its stable name, active exactly when this
// host gives it, and the mechanism that holds each limit. Run as root and as an unprivileged user.

#include <doctest/doctest.h>

#include "sandbox/linux/cgroup_placement.h"
#include "sandbox/linux/landlock_rules.h"
#include "sandbox/linux/linux_backend.h"
#include "sandbox_test_support.h"

namespace airlock::sandbox::testing {
namespace {

TEST_CASE("sandbox: the probe reports every hardening protection by its stable name, with its mechanism") {
  const auto reports = make_linux_backend()->probe();
  auto find = [&](const std::string& name) { return protection_named(reports, name); };
  CHECK(find("seccomp").active);
  CHECK(find("landlock").active == (linux_backend::landlock_abi() > 0));
  for (const char* name : {"memory limit", "process limit", "disk limit", "cpu limit", "output limit",
                           "file size limit", "open files limit"}) {
    CHECK_MESSAGE(find(name).active, name);
  }
  const auto& placement = linux_backend::cgroup_placement();
  CHECK(find("memory limit").detail.starts_with(placement.memory.parent ? "cgroup v" : "RLIMIT_DATA"));
  CHECK(find("process limit").detail.starts_with(placement.pids.parent ? "cgroup v" : "RLIMIT_NPROC"));
}

}  // namespace
}  // namespace airlock::sandbox::testing
