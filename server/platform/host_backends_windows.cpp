#include "sandbox/windows/windows_backends.h"
#include "server/backends.h"

namespace airlock::server {

Backends Backends::for_this_host() {
  std::vector<std::unique_ptr<sandbox::Backend>> backends;
  backends.push_back(sandbox::windows::make_app_container_backend());
  backends.push_back(sandbox::windows::make_hyper_v_backend());
  return Backends(std::move(backends));
}

}  // namespace airlock::server
