#include "server/backends.h"

#include <nlohmann/json.hpp>

#include "server/request_error.h"

namespace airlock::server {

// Backends::for_this_host() is in server/platform/host_backends_*.cpp: each platform links only its own.

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
