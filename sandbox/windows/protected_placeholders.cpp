#include "sandbox/protected_placeholders.h"

#include <utility>

namespace airlock::sandbox {

// Placeholders hold mount points for Linux's bind mounts. The Windows backends mount nothing on the host: an
// AppContainer reaches folders through ACL entries and a utility VM through Plan9 shares of folders that exist, so
// there is never a placeholder to record or remove.
ProtectedPlaceholders::ProtectedPlaceholders(const Policy&) {}

ProtectedPlaceholders::ProtectedPlaceholders(ProtectedPlaceholders&& other) noexcept
    : workspace_(std::move(other.workspace_)), missing_(std::exchange(other.missing_, {})) {}

ProtectedPlaceholders& ProtectedPlaceholders::operator=(ProtectedPlaceholders&& other) noexcept {
  workspace_ = std::move(other.workspace_);
  missing_ = std::exchange(other.missing_, {});
  return *this;
}

void ProtectedPlaceholders::remove() { missing_.clear(); }

}  // namespace airlock::sandbox
