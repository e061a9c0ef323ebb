#pragma once

// The option a gcc or clang diagnostic names at the end of its message, e.g. " [-Wunused-variable]".

#include <optional>
#include <string>
#include <string_view>

namespace airlock::server::diagnostics {

// Removes a trailing " [-W...]" / " [-f...]" from `message` and returns the option without brackets.
std::optional<std::string> take_option_suffix(std::string& message);

}  // namespace airlock::server::diagnostics
