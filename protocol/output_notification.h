#pragma once

// The sandbox/output notification written straight to JSON text. It carries nearly every byte a run prints, and
// building an nlohmann::json object for it, then dumping that, cost more than the rest of the output path
// together. The text is byte for byte what
// make_notification(method::output, params).dump(-1, ' ', false, error_handler_t::replace) gives.

#include <string>

#include "protocol/run_messages.h"

namespace airlock::protocol {

std::string encode_output_notification(const OutputParams& params);

}  // namespace airlock::protocol
