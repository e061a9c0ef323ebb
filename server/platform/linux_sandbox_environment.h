#pragma once

// The environment a Linux sandbox starts from: on Linux for every isolation, and on Windows for isolation "vm",
// whose utility VM runs the Linux guest. Header-only, as both platforms' builds need it.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sandbox/policy.h"

namespace airlock::server::platform {

inline std::vector<std::pair<std::string, std::string>> linux_sandbox_environment() {
  return {
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", sandbox::kSandboxHome},
      {"LANG", "C.UTF-8"},
      {"TERM", "xterm-256color"},
      // Python's bytecode goes to the home folder, not into the workspace, where an overlay run would list every
      // __pycache__ as a change to review.
      {"PYTHONPYCACHEPREFIX", std::string(sandbox::kSandboxHome) + "/.cache/python"},
  };
}

// Linux compares variable names byte for byte.
inline bool same_linux_variable_name(std::string_view a, std::string_view b) { return a == b; }

}  // namespace airlock::server::platform
