#pragma once

#include <nlohmann/json.hpp>

namespace airlock::protocol {

using json = nlohmann::json;

}  // namespace airlock::protocol
