#include "sandbox/linux/linux_backend.h"
#include "sandbox/vm/vm_backend.h"
#include "server/backends.h"

namespace airlock::server {

Backends Backends::for_this_host() {
  std::vector<std::unique_ptr<sandbox::Backend>> backends;
  backends.push_back(sandbox::make_linux_backend());
  backends.push_back(sandbox::make_vm_backend());
  return Backends(std::move(backends));
}

}  // namespace airlock::server
