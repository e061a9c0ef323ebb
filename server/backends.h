#pragma once

#include <memory>

#include "sandbox/backend.h"

namespace airlock::server {

// The process-isolation backend of this platform.
std::unique_ptr<sandbox::Backend> make_process_backend();

}  // namespace airlock::server
