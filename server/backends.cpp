#include "server/backends.h"

#include "sandbox/linux/linux_backend.h"

namespace airlock::server {

std::unique_ptr<sandbox::Backend> make_process_backend() { return sandbox::make_linux_backend(); }

}  // namespace airlock::server
