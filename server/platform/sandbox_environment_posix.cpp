#include "server/platform/sandbox_environment.h"

#include "sandbox/policy.h"

namespace airlock::server::platform {

std::vector<std::pair<std::string, std::string>> sandbox_base_environment() {
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

bool same_variable_name(std::string_view a, std::string_view b) { return a == b; }

}  // namespace airlock::server::platform
