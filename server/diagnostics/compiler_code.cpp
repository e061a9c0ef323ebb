#include "server/diagnostics/compiler_code.h"

namespace airlock::server::diagnostics {

std::optional<std::string> take_option_suffix(std::string& message) {
  if (!message.ends_with(']')) return std::nullopt;
  std::size_t open = message.rfind(" [-");
  if (open == std::string::npos) return std::nullopt;
  std::string option = message.substr(open + 2, message.size() - open - 3);
  if (option.size() < 3 || option.find_first_of(" []") != std::string::npos) return std::nullopt;
  message.erase(open);
  return option;
}

}  // namespace airlock::server::diagnostics
