#include <doctest/doctest.h>

#include "sandbox/windows/job_limits.h"

using airlock::sandbox::Limits;
using namespace airlock::sandbox::windows;

TEST_CASE("windows job limits: derived from the policy's limits") {
  Limits limits;
  limits.max_processes = 32;
  limits.memory_bytes = 512ll << 20;
  limits.cpu_seconds = 7;
  const JobLimits job = job_limits_for(limits, 4);
  CHECK(job.active_processes == 32);
  CHECK(job.job_memory_bytes == 512ull << 20);
  CHECK(job.process_memory_bytes == 512ull << 20);
  CHECK(job.user_time_100ns == 70'000'000);
  CHECK(job.cpu_rate == 7500);
  CHECK(job.kill_on_job_close);
  CHECK(job.die_on_unhandled_exception);
  CHECK_FALSE(job.allow_breakaway);
  CHECK(job.restrict_ui);
}

TEST_CASE("windows job limits: nonsense limits still give a finite, working job") {
  Limits limits;
  limits.max_processes = 0;
  limits.memory_bytes = -1;
  limits.cpu_seconds = 0;
  const JobLimits job = job_limits_for(limits, 0);
  CHECK(job.active_processes == 1);
  CHECK(job.job_memory_bytes == 1u << 20);
  CHECK(job.user_time_100ns == 10'000'000);
  CHECK(job.cpu_rate == 10000);
  limits.max_processes = 1ll << 40;
  CHECK(job_limits_for(limits, 2).active_processes == 0xFFFFFFFFu);
  CHECK(job_limits_for(limits, 2).cpu_rate == 5000);
}
