#pragma once

// File change times come from the kernel's coarse realtime clock, which lags the precise one by a tick or two. An
// overlay run's conflict check compares them with the precise time the run started, which is sound only once the
// coarse clock has passed that time before the program begins: every host change the program could miss then has
// a change time at or after the start. The sandbox waits for that while it is set up, so the wait rarely costs
// anything.

#include <chrono>

namespace airlock::sandbox::linux_backend {

// The coarse clock passes any instant within a tick or two; only a realtime clock set back takes longer.
inline constexpr std::chrono::milliseconds kCoarseClockPatience{100};
inline constexpr const char* kCoarseClockLate =
    "the coarse realtime clock did not pass the run's start within 100 ms, as the overlay's conflict check needs: "
    "the system clock was probably set back. Fix: run again";

// Waits until CLOCK_REALTIME_COARSE has reached `instant`, for at most `patience`; false when it has not. Neither
// allocates nor throws: the sandbox's init calls it between clone and exec.
bool wait_for_coarse_clock(std::chrono::system_clock::time_point instant, std::chrono::milliseconds patience);

}  // namespace airlock::sandbox::linux_backend
