#pragma once

// The run's environment: the platform's base variables, then the request's over them. Whether two names are the
// same variable is the platform's to say: on Windows names ignore case, so a request's "Path" is the base's PATH and
// must replace it; a second entry would leave which one a program sees to the order of the environment block.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace airlock::server {

using Environment = std::vector<std::pair<std::string, std::string>>;
using SameVariableName = bool (*)(std::string_view, std::string_view);

// A request variable replaces the base variable it names, under the request's spelling (as SetEnvironmentVariable
// does on Windows); others are added. Two request names for one variable ("PATH" and "Path" on Windows) are refused
// with RequestError -32602: a JSON object has no order, so neither can be said to come last and win.
Environment merge_environment(Environment base, const std::map<std::string, std::string>& request,
                              SameVariableName same_name);

}  // namespace airlock::server
