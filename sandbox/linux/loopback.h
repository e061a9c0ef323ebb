#pragma once

// The sandbox's network namespace starts empty with its loopback device down. Bringing lo up lets programs talk
// to themselves over 127.0.0.1 while nothing leaves the sandbox.

#include "sandbox/linux/child_failure.h"

namespace airlock::sandbox::linux_backend {

bool bring_up_loopback(ChildFailure& failure);

}  // namespace airlock::sandbox::linux_backend
