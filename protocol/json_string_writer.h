#pragma once

// Writes a string as a JSON string literal, byte for byte as nlohmann::json's dump(-1, ' ', false,
// error_handler_t::replace) does: the escapes it uses (\" \\ \b \f \n \r \t, \u00xx for other control characters),
// UTF-8 kept as is, and U+FFFD for each maximal invalid subpart. Runs of bytes that need no escape are found a
// word at a time and copied whole, which is what makes a program's output cheap to send.

#include <string>
#include <string_view>

namespace airlock::protocol {

void append_json_string(std::string& out, std::string_view text);

}  // namespace airlock::protocol
