#pragma once

// The backends airlock.exe offers: process isolation (an AppContainer with no capabilities inside a Job Object) and
// VM isolation (a Hyper-V utility VM through the Host Compute Service). Where one cannot work on this host, its
// unavailable_reason() and start() say why and what to do, and nothing runs.

#include <memory>

#include "sandbox/backend.h"

namespace airlock::sandbox::windows {

std::unique_ptr<Backend> make_app_container_backend();
std::unique_ptr<Backend> make_hyper_v_backend();

}  // namespace airlock::sandbox::windows
