#include "sandbox/linux/coarse_clock.h"

#include <time.h>

#include <cstdint>

namespace airlock::sandbox::linux_backend {
namespace {

std::int64_t nanoseconds_of(clockid_t clock) {
  timespec now{};
  ::clock_gettime(clock, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

}  // namespace

bool wait_for_coarse_clock(std::chrono::system_clock::time_point instant, std::chrono::milliseconds patience) {
  const std::int64_t target = std::chrono::duration_cast<std::chrono::nanoseconds>(instant.time_since_epoch()).count();
  const std::int64_t give_up =
      nanoseconds_of(CLOCK_MONOTONIC) + std::chrono::duration_cast<std::chrono::nanoseconds>(patience).count();
  constexpr timespec kPause{.tv_sec = 0, .tv_nsec = 200'000};
  while (nanoseconds_of(CLOCK_REALTIME_COARSE) < target) {
    if (nanoseconds_of(CLOCK_MONOTONIC) >= give_up) return false;
    ::nanosleep(&kPause, nullptr);
  }
  return true;
}

}  // namespace airlock::sandbox::linux_backend
