#include "server/environment_merge.h"

#include <algorithm>

#include "server/request_error.h"

namespace airlock::server {

Environment merge_environment(Environment base, const std::map<std::string, std::string>& request,
                              SameVariableName same_name) {
  for (auto entry = request.begin(); entry != request.end(); ++entry) {
    const std::string& name = entry->first;
    const auto twin = std::find_if(std::next(entry), request.end(),
                                   [&](const auto& other) { return same_name(name, other.first); });
    if (twin != request.end())
      throw invalid_params("params.env: \"" + name + "\" and \"" + twin->first +
                           "\" name the same variable on this platform (its names ignore case); give it once");
    const auto existing =
        std::find_if(base.begin(), base.end(), [&](const auto& variable) { return same_name(variable.first, name); });
    if (existing != base.end()) *existing = {name, entry->second};
    else base.emplace_back(name, entry->second);
  }
  return base;
}

}  // namespace airlock::server
