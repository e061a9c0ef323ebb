#include <doctest/doctest.h>

#include <string>

#include "run_output.h"
#include "sandbox/windows/child_pipe.h"
#include "sandbox/windows/job_process.h"
#include "test_helpers.h"

using namespace airlock::sandbox;
using namespace airlock::sandbox::windows;
using namespace airlock::windows_tests;

namespace {

ProcessLaunch tree_launch() { return {.argv = helper_argv("spawn-and-sleep"), .cwd = "C:\\"}; }

}  // namespace

TEST_CASE("windows job: kill ends the whole process tree at once, and poll reports it") {
  auto process = JobProcess::start(tree_launch(), test_job_limits());
  const DWORD grandchild = std::stoul(first_line(*process));
  CHECK_FALSE(process_ended(grandchild, 0));
  const UniqueHandle grandchild_handle(::OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, grandchild));
  BOOL in_job = FALSE;
  REQUIRE(::IsProcessInJob(grandchild_handle.get(), process->job().handle(), &in_job));
  CHECK(in_job);
  CHECK(process->job().active_processes() >= 2);

  process->kill();
  process->kill();  // idempotent
  REQUIRE(::WaitForSingleObject(process->wait_fd(), 20000) == WAIT_OBJECT_0);
  CHECK(process_ended(grandchild, 20000));
  const auto status = process->poll();
  REQUIRE(status);
  CHECK(status->kind == ExitStatus::Kind::signaled);
  CHECK(status->signal == 9);
}

TEST_CASE("windows job: destroying the process (as when the server drops a run) ends the tree") {
  DWORD child = 0;
  DWORD grandchild = 0;
  {
    auto process = JobProcess::start(tree_launch(), test_job_limits());
    child = process->pid();
    grandchild = std::stoul(first_line(*process));
  }
  CHECK(process_ended(child, 20000));
  CHECK(process_ended(grandchild, 20000));
}

TEST_CASE("windows job: when the program ends, what it left running is ended with it") {
  // The grandchild of a program that exits would otherwise outlive the run; poll() terminates the job.
  auto process = JobProcess::start(tree_launch(), test_job_limits());
  const DWORD grandchild = std::stoul(first_line(*process));
  const UniqueHandle program(::OpenProcess(PROCESS_TERMINATE, FALSE, process->pid()));
  REQUIRE(::TerminateProcess(program.get(), 7));
  REQUIRE(::WaitForSingleObject(process->wait_fd(), 20000) == WAIT_OBJECT_0);
  const auto status = process->poll();
  REQUIRE(status);
  CHECK(status->kind == ExitStatus::Kind::exited);
  CHECK(status->code == 7);
  CHECK(process_ended(grandchild, 20000));
}

TEST_CASE("windows job: the completion port reports the job's processes") {
  const JobObject job = JobObject::create(test_job_limits());
  const ChildPipe input = make_child_pipe(PipeDirection::to_child);
  const ChildPipe output = make_child_pipe(PipeDirection::from_child);
  const ChildPipe error = make_child_pipe(PipeDirection::from_child);
  const StartedProcess program = start_in_job({.argv = helper_argv("exit", {"0"}), .cwd = "C:\\"},
                                              {input.child.get(), output.child.get(), error.child.get()}, job);
  REQUIRE(::WaitForSingleObject(program.process.get(), 20000) == WAIT_OBJECT_0);
  bool started = false;
  bool all_exited = false;
  while (const auto event = job.next_event(2000)) {
    started |= *event == JobEvent::process_started;
    all_exited |= *event == JobEvent::all_processes_exited;
    if (all_exited) break;
  }
  CHECK(started);
  CHECK(all_exited);
}

TEST_CASE("windows job: the active process limit refuses one process too many" *
          doctest::skip(running_under_wine()) * doctest::description(kNeedsWindowsHost)) {
  Limits limits;
  limits.max_processes = 1;
  auto process = JobProcess::start(tree_launch(), job_limits_for(limits, 2));
  REQUIRE(::WaitForSingleObject(process->wait_fd(), 20000) == WAIT_OBJECT_0);
  const auto status = process->poll();
  REQUIRE(status);
  CHECK(status->code == 3);  // spawn-and-sleep could not start its child
  CHECK(status->limit == LimitKind::processes);
}

TEST_CASE("windows job: the CPU rate is capped as the limits say" * doctest::skip(running_under_wine()) *
          doctest::description(kNeedsWindowsHost)) {
  const JobObject job = JobObject::create(job_limits_for(Limits{}, 4));
  JOBOBJECT_CPU_RATE_CONTROL_INFORMATION rate{};
  REQUIRE(::QueryInformationJobObject(job.handle(), JobObjectCpuRateControlInformation, &rate, sizeof rate, nullptr));
  CHECK((rate.ControlFlags & JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP) != 0);
  CHECK(rate.CpuRate == 7500);
}
