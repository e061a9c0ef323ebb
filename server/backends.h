#pragma once

// The isolation backends this host offers, and the choice of one for a run. No run ever falls back to a
// weaker backend than the one it asked for.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/backend.h"

namespace airlock::server {

class Backends {
 public:
  // Every backend built for this platform, available or not (doctor reports why not).
  static Backends for_this_host();

  explicit Backends(std::vector<std::unique_ptr<sandbox::Backend>> backends) : backends_(std::move(backends)) {}

  // Throws RequestError -32010 naming the cause and what is available instead.
  sandbox::Backend& select(sandbox::Isolation isolation) const;
  // The isolation levels that can run here now, for initialize's capabilities.
  std::vector<std::string> available() const;
  const std::vector<std::unique_ptr<sandbox::Backend>>& all() const { return backends_; }

 private:
  std::vector<std::unique_ptr<sandbox::Backend>> backends_;
};

}  // namespace airlock::server
