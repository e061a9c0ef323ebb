#pragma once

// The sandbox/output notification written straight to JSON text. It carries nearly every byte a run prints, and
// building an nlohmann::json object for it, then dumping that, cost more than the rest of the output path
// together. The text is byte for byte what
// make_notification(method::output, params).dump(-1, ' ', false, error_handler_t::replace) gives.

#include <cstdint>
#include <string>
#include <string_view>

namespace airlock::protocol {

// Replaces `out`'s contents and keeps its capacity: a caller that keeps `out` allocates nothing per notification.
void write_output_notification(std::string& out, std::string_view run_id, std::string_view stream,
                               std::string_view text, std::int64_t seq);

}  // namespace airlock::protocol
