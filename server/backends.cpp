#include "server/backends.h"

#include <nlohmann/json.hpp>

#include "sandbox/linux/linux_backend.h"
#include "sandbox/vm/vm_backend.h"
#include "server/request_error.h"

namespace airlock::server {

Backends Backends::for_this_host() {
  std::vector<std::unique_ptr<sandbox::Backend>> backends;
  backends.push_back(sandbox::make_linux_backend());
  backends.push_back(sandbox::make_vm_backend());
  return Backends(std::move(backends));
}

sandbox::Backend& Backends::select(sandbox::Isolation isolation) const {
  for (const auto& backend : backends_) {
    if (backend->isolation() != isolation) continue;
    if (auto reason = backend->unavailable_reason())
      throw RequestError(protocol::ErrorCode::SandboxUnavailable,
                         std::string("isolation \"") + sandbox::to_string(isolation) + "\" is unavailable on this host: " +
                             *reason);
    return *backend;
  }
  throw RequestError(protocol::ErrorCode::SandboxUnavailable,
                     std::string("isolation \"") + sandbox::to_string(isolation) +
                         "\" is not built into this airlock; available: " + nlohmann::json(available()).dump() +
                         ". Run `airlock doctor` for details.");
}

std::vector<std::string> Backends::available() const {
  std::vector<std::string> names;
  for (const auto& backend : backends_)
    if (!backend->unavailable_reason()) names.emplace_back(sandbox::to_string(backend->isolation()));
  return names;
}

}  // namespace airlock::server
