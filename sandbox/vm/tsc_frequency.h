#pragma once

// The host's TSC rate. Under TCG the guest reads the host's TSC, and microvm has no PIT or HPET to calibrate it
// against (the kernel then hangs at boot), so the guest is told the rate on its command line.

#include <cstdint>

namespace airlock::sandbox::vm {

// Measured once per process over a few milliseconds; 0 where the CPU has no usable TSC.
std::int64_t host_tsc_khz();

}  // namespace airlock::sandbox::vm
