#pragma once

// The machine a benchmark ran on, recorded with its figures.

#include <nlohmann/json.hpp>

namespace airlock::bench {

nlohmann::json describe_machine();

}  // namespace airlock::bench
