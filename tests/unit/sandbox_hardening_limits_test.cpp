// The run's resource limits, hit on purpose: each holds, and each is reported as the limit that ended the run,
// whichever mechanism holds it on this host (cgroups for a root server that may create them, rlimits
// otherwise). Run as root and as an unprivileged user (setpriv --reuid=65534 --regid=65534 --clear-groups).

#include <doctest/doctest.h>
#include <poll.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "sandbox/linux/cgroup_placement.h"
#include "sandbox/linux/linux_backend.h"
#include "sandbox_test_support.h"

namespace airlock::sandbox::testing {
namespace {

LaunchSpec python_spec(const TempWorkspace& workspace, const std::string& program) {
  auto spec = spec_in(workspace, {{"python3", "/airlock/program.py"}});
  spec.files = {{.path = "/airlock/program.py", .content = program}};
  return spec;
}

bool failed(const ExitStatus& status) {
  return status.kind == ExitStatus::Kind::signaled ||
         (status.kind == ExitStatus::Kind::exited && status.code != 0);
}

void check_limit(const RunOutput& result, LimitKind kind, const std::string& words) {
  CHECK_MESSAGE(failed(result.status), result.status.message << result.err);
  REQUIRE_MESSAGE(result.status.limit.has_value(), result.err.substr(0, 2000));
  CHECK(*result.status.limit == kind);
  CHECK_MESSAGE(result.status.message.find(words) != std::string::npos, result.status.message);
}

// Forks children that wait until a fork is refused, prints how many it got, and fails with them still there.
constexpr const char* kForkUntilRefused = R"src(
import errno, os, signal, sys
children = []
try:
    while len(children) < 4096:
        pid = os.fork()
        if pid == 0:
            signal.pause()
            os._exit(0)
        children.append(pid)
except OSError as error:
    print(errno.errorcode[error.errno])
print(len(children))
sys.exit(3)
)src";

TEST_CASE("sandbox: a fork bomb is held at the process limit and reported as such") {
  TempWorkspace workspace;
  auto spec = python_spec(workspace, kForkUntilRefused);
  spec.policy.limits.max_processes = 16;
  const auto result = run_to_end(spec);
  // The program is one of the run's processes: it gets one child less than the limit.
  CHECK(result.out == "EAGAIN\n15\n");
  check_limit(result, LimitKind::processes, "limit of 16 processes");
}

TEST_CASE("sandbox: the process limit counts the run's own processes, not those of other runs") {
  TempWorkspace workspace;
  auto busy_spec = shell_spec(workspace, "for i in $(seq 24); do sleep 60 & done; echo started; wait");
  busy_spec.policy.limits.max_processes = 64;
  auto busy = make_linux_backend()->start(busy_spec);
  UniqueFd busy_out = busy->take_stdout();
  char started[16] = {};
  pollfd readable{.fd = busy_out.get(), .events = POLLIN, .revents = 0};
  REQUIRE(::poll(&readable, 1, 10'000) == 1);
  REQUIRE(::read(busy_out.get(), started, sizeof started) > 0);

  auto spec = python_spec(workspace, kForkUntilRefused);
  spec.policy.limits.max_processes = 8;
  const auto result = run_to_end(spec);
  CHECK(result.out == "EAGAIN\n7\n");
  busy->kill();
}

TEST_CASE("sandbox: a memory bomb is reported as the memory limit") {
  TempWorkspace workspace;
  auto spec = python_spec(workspace, R"src(
hoard = []
while True:
    hoard.append(bytearray(b"\1" * (4 << 20)))
)src");
  spec.policy.limits.memory_bytes = 64ll << 20;
  const auto result = run_to_end(spec);
  check_limit(result, LimitKind::memory, "memory limit of 64 MiB");
  if (linux_backend::cgroup_placement().memory.parent) {
    CHECK(result.status.signal == SIGKILL);
  } else {
    CHECK(result.err.find("MemoryError") != std::string::npos);
  }
}

TEST_CASE("sandbox: a program that fails for its own reasons is not blamed on a limit") {
  TempWorkspace workspace;
  auto spec = python_spec(workspace, R"src(
import sys
hoard = bytearray(16 << 20)  # a quarter of the limit
with open("/tmp/some-file", "wb") as f: f.write(b"x" * (1 << 20))
sys.exit(5)
)src");
  spec.policy.limits.memory_bytes = 64ll << 20;
  spec.policy.limits.max_processes = 4;
  const auto result = run_to_end(spec);
  CHECK(result.status.code == 5);
  CHECK_MESSAGE(!result.status.limit.has_value(), result.status.message);
}

TEST_CASE("sandbox: a program that meets a limit and copes with it succeeded") {
  TempWorkspace workspace;
  auto spec = shell_spec(workspace, "dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>/dev/null; rm /tmp/fill; echo coped");
  spec.policy.limits.disk_bytes = 8ll << 20;
  const auto result = run_to_end(spec);
  CHECK(result.out == "coped\n");
  CHECK(result.status.code == 0);
  CHECK_FALSE(result.status.limit.has_value());
}

TEST_CASE("sandbox: /tmp, the home folder and /dev/shm share the disk limit, and filling it is reported") {
  TempWorkspace workspace;
  SUBCASE("bytes") {
    auto spec = shell_spec(workspace,
                           "for place in /tmp $HOME /dev/shm; do "
                           "dd if=/dev/zero of=$place/fill bs=1M count=3 2>/dev/null || echo \"$place refused\"; done; "
                           "exec dd if=/dev/zero of=/tmp/more bs=1M count=1");
    spec.policy.limits.disk_bytes = 8ll << 20;
    const auto result = run_to_end(spec);
    CHECK(result.out == "/dev/shm refused\n");
    check_limit(result, LimitKind::disk,
                "/tmp (with the home folder and /dev/shm) is full: the run reached its disk limit of 8 MiB");
  }
  SUBCASE("empty files, until no inode is left") {
    auto spec = python_spec(workspace, R"src(
import os
for i in range(1_000_000):
    open(os.path.join(os.environ["HOME"], f"f{i}"), "w").close()
)src");
    spec.policy.limits.disk_bytes = 8ll << 20;
    const auto result = run_to_end(spec);
    CHECK(result.err.find("No space left on device") != std::string::npos);
    check_limit(result, LimitKind::disk, "is full");
  }
}

TEST_CASE("sandbox: a file beyond the file size limit is reported as the disk limit") {
  TempWorkspace workspace;
  auto spec = spec_in(workspace, {{"dd", "if=/dev/zero", "of=/tmp/big", "bs=1024", "count=100"}});
  spec.policy.limits.file_size_bytes = 8 << 10;
  const auto result = run_to_end(spec);
  CHECK(result.status.signal == SIGXFSZ);
  check_limit(result, LimitKind::disk, "file size limit of 8 KiB");
}

TEST_CASE("sandbox: a CPU spin is reported as the cpu limit, also when it ignores SIGXCPU") {
  TempWorkspace workspace;
  auto spec = python_spec(workspace, R"src(
import signal
signal.signal(signal.SIGXCPU, signal.SIG_IGN)
while True:
    pass
)src");
  spec.policy.limits.cpu_seconds = 1;
  const auto result = run_to_end(spec);
  CHECK(result.status.signal == SIGKILL);
  check_limit(result, LimitKind::cpu, "CPU time limit of 1 s");
}

TEST_CASE("sandbox: a run's cgroups are gone once the run is dropped") {
  const auto& placement = linux_backend::cgroup_placement();
  if (::geteuid() != 0) {
    // An unprivileged server cannot create cgroups here, and must not pretend to: the limits fall back to rlimits.
    CHECK_FALSE(placement.memory.parent.has_value());
    CHECK_FALSE(placement.pids.parent.has_value());
  }
  auto groups_of_this_process = [&] {
    std::vector<std::string> found;
    const std::string prefix = std::string(linux_backend::kRunCgroupPrefix) + std::to_string(::getpid()) + "-";
    for (const auto* controller : {&placement.memory, &placement.pids}) {
      if (!controller->parent) continue;
      for (const auto& entry : std::filesystem::directory_iterator(controller->parent->folder)) {
        if (entry.path().filename().string().starts_with(prefix)) found.push_back(entry.path());
      }
    }
    return found;
  };
  TempWorkspace workspace;
  {
    auto process = make_linux_backend()->start(shell_spec(workspace, "sleep 60"));
    if (placement.memory.parent || placement.pids.parent) CHECK_FALSE(groups_of_this_process().empty());
    process->kill();
  }
  run_to_end(shell_spec(workspace, "true"));
  CHECK(groups_of_this_process().empty());
}

}  // namespace
}  // namespace airlock::sandbox::testing
