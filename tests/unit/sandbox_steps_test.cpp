// Running a launch spec's steps in one Linux sandbox: order, failures, programs that cannot be executed, and
// the limits the backend enforces itself.

#include <doctest/doctest.h>

#include <csignal>

#include "sandbox/linux/linux_backend.h"
#include "sandbox_test_support.h"

namespace airlock::sandbox::testing {
namespace {

TEST_CASE("sandbox: a C snippet is compiled, then run, in one sandbox") {
  TempWorkspace workspace;
  const std::string binary = std::string(kSandboxBuildDir) + "/hello";
  auto spec = spec_in(workspace, {{"gcc", "-o", binary, "/airlock/hello.c"}, {binary, "world"}});
  spec.files = {{.path = "/airlock/hello.c",
                 .content = "#include <stdio.h>\nint main(int c, char** v) { printf(\"hello %s\\n\", v[1]); return 3; }\n"}};
  auto result = run_to_end(spec);
  CHECK_MESSAGE(result.status.kind == ExitStatus::Kind::exited, result.status.message << result.err);
  CHECK(result.status.code == 3);
  CHECK(result.out == "hello world\n");
}

TEST_CASE("sandbox: only the last step, the program, reads stdin") {
  TempWorkspace workspace;
  auto result = run_to_end(spec_in(workspace, {{"/bin/cat"}, {"/bin/cat"}}), "for the program\n");
  CHECK(result.out == "for the program\n");
}

TEST_CASE("sandbox: a failing step ends the run with its status") {
  TempWorkspace workspace;
  auto result = run_to_end(spec_in(workspace, {{"/bin/sh", "-c", "echo one"},
                                               {"/bin/sh", "-c", "echo two; exit 4"},
                                               {"/bin/sh", "-c", "echo three"}}));
  CHECK(result.out == "one\ntwo\n");
  CHECK(result.status.kind == ExitStatus::Kind::exited);
  CHECK(result.status.code == 4);
}

TEST_CASE("sandbox: a program missing from PATH is a setup failure naming the PATH") {
  TempWorkspace workspace;
  auto spec = spec_in(workspace, {{"/bin/true"}, {"no-such-program-airlock", "arg"}});
  spec.env = {{"PATH", "/usr/local/bin:/usr/bin"}};
  auto result = run_to_end(spec);
  CHECK(result.status.kind == ExitStatus::Kind::setup_failed);
  CHECK(result.status.message == "no-such-program-airlock: not found in the sandbox (PATH=/usr/local/bin:/usr/bin)");
}

TEST_CASE("sandbox: programs that exist but cannot run say why") {
  TempWorkspace workspace;
  auto spec = spec_in(workspace, {{"/airlock/not-executable"}});
  spec.files = {{.path = "/airlock/not-executable", .content = "#!/bin/sh\necho hi\n", .mode = 0644}};
  auto result = run_to_end(spec);
  CHECK(result.status.kind == ExitStatus::Kind::setup_failed);
  CHECK(result.status.message == "/airlock/not-executable: cannot be executed in the sandbox: Permission denied");

  spec = spec_in(workspace, {{"/airlock/needs-interpreter"}});
  spec.files = {{.path = "/airlock/needs-interpreter", .content = "#!/no/such/interpreter\n", .mode = 0755}};
  result = run_to_end(spec);
  CHECK(result.status.kind == ExitStatus::Kind::setup_failed);
  CHECK(result.status.message.find("interpreter or loader it names is missing") != std::string::npos);

  spec = spec_in(workspace, {{"./missing"}});
  result = run_to_end(spec);
  CHECK(result.status.message == "./missing: not found in the sandbox");
}

TEST_CASE("sandbox: a working folder that does not exist is a setup failure") {
  TempWorkspace workspace;
  auto spec = spec_in(workspace, {{"/bin/true"}});
  spec.cwd = "/no/such/folder";
  auto result = run_to_end(spec);
  CHECK(result.status.kind == ExitStatus::Kind::setup_failed);
  CHECK(result.status.message == "working folder /no/such/folder: chdir failed: No such file or directory");
}

void check_ended_by_limit(const RunOutput& result, int signal, LimitKind limit) {
  CHECK(result.status.kind == ExitStatus::Kind::signaled);
  CHECK(result.status.signal == signal);
  REQUIRE(result.status.limit.has_value());
  CHECK(*result.status.limit == limit);
}

TEST_CASE("sandbox: the CPU limit ends a busy program and is reported as the cpu limit") {
  TempWorkspace workspace;
  auto spec = shell_spec(workspace, "while :; do :; done");
  spec.policy.limits.cpu_seconds = 1;
  check_ended_by_limit(run_to_end(spec), SIGXCPU, LimitKind::cpu);
}

TEST_CASE("sandbox: the file size limit is reported as the disk limit") {
  TempWorkspace workspace;
  auto spec = spec_in(workspace, {{"dd", "if=/dev/zero", "of=/tmp/big", "bs=1000", "count=100"}});
  spec.policy.limits.file_size_bytes = 4096;
  check_ended_by_limit(run_to_end(spec), SIGXFSZ, LimitKind::disk);
}

TEST_CASE("sandbox: the open files limit applies to the program") {
  TempWorkspace workspace;
  auto spec = shell_spec(workspace, "ulimit -n; ulimit -c");
  spec.policy.limits.open_files = 64;
  auto result = run_to_end(spec);
  CHECK(result.out == "64\n0\n");
}

}  // namespace
}  // namespace airlock::sandbox::testing
