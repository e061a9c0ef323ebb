#pragma once

// In readwrite mode a protected path the workspace lacks is held by an empty read-only folder for the run's
// duration (its mount point has to exist on the host). This owner removes those folders after the run, and
// only those: what was missing before the run and is an empty folder afterwards.

#include <string>
#include <vector>

#include "sandbox/policy.h"

namespace airlock::sandbox {

class ProtectedPlaceholders {
 public:
  ProtectedPlaceholders() = default;
  // Records the protected paths missing from a readwrite workspace; records nothing in other modes.
  explicit ProtectedPlaceholders(const Policy& policy);
  ProtectedPlaceholders(ProtectedPlaceholders&& other) noexcept;
  ProtectedPlaceholders& operator=(ProtectedPlaceholders&& other) noexcept;
  ProtectedPlaceholders(const ProtectedPlaceholders&) = delete;
  ProtectedPlaceholders& operator=(const ProtectedPlaceholders&) = delete;
  ~ProtectedPlaceholders() { remove(); }

  // Removes the placeholders now; the sandbox must be gone (its mounts hold them busy until then).
  void remove();

 private:
  std::string workspace_;
  std::vector<std::string> missing_;
};

}  // namespace airlock::sandbox
