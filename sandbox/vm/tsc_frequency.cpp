#include "sandbox/vm/tsc_frequency.h"

#include <x86intrin.h>

#include <chrono>
#include <thread>

namespace airlock::sandbox::vm {
namespace {

std::int64_t measure() {
  using clock = std::chrono::steady_clock;
  const auto start_time = clock::now();
  const std::uint64_t start_ticks = __rdtsc();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const std::uint64_t end_ticks = __rdtsc();
  const auto elapsed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - start_time).count();
  if (elapsed_ns <= 0 || end_ticks <= start_ticks) return 0;
  const auto khz = static_cast<std::int64_t>(static_cast<double>(end_ticks - start_ticks) * 1e6 / static_cast<double>(elapsed_ns));
  // To the MHz: the guest needs the rate, not the noise of one measurement.
  return (khz + 500) / 1000 * 1000;
}

}  // namespace

std::int64_t host_tsc_khz() {
  static const std::int64_t khz = measure();
  return khz;
}

}  // namespace airlock::sandbox::vm
