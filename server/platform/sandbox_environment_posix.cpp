#include "server/platform/sandbox_environment.h"

#include "server/platform/linux_sandbox_environment.h"

namespace airlock::server::platform {

std::vector<std::pair<std::string, std::string>> sandbox_base_environment(sandbox::Isolation) {
  return linux_sandbox_environment();
}

bool same_variable_name(std::string_view a, std::string_view b) { return same_linux_variable_name(a, b); }

SameVariableName variable_name_comparison(sandbox::Isolation) { return same_variable_name; }

}  // namespace airlock::server::platform
