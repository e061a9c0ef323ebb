#pragma once

// Small, allocation-free readers for tool output shared by the parsers. They take any bytes and never throw.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace airlock::server::diagnostics {

// Lines without their "\n" or "\r\n".
std::vector<std::string_view> split_lines(std::string_view text);

std::string_view trim(std::string_view text);
bool is_blank(std::string_view text);

// A decimal number that fits a line or column of any real file (at most 9 digits, so sums cannot overflow).
// Reads the digits at the start of `text` and removes them; nullopt (text untouched) when there are none.
std::optional<std::int64_t> take_number(std::string_view& text);
// Removes `prefix` from the start of `text` when it is there.
bool take_prefix(std::string_view& text, std::string_view prefix);

}  // namespace airlock::server::diagnostics
