#include "sandbox/vm/guest_channel_option.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string>

namespace airlock::sandbox::vm {
namespace {

constexpr std::string_view kOption = "airlock.agent=";
constexpr std::string_view kVsock = "vsock:";

GuestChannelOption parse_value(std::string_view value) {
  const auto refuse = [&] {
    throw std::invalid_argument("guest agent: the kernel command line's airlock.agent=" + std::string(value) +
                                " is not vsock:PORT");
  };
  if (!value.starts_with(kVsock)) refuse();
  const std::string_view digits = value.substr(kVsock.size());
  std::uint32_t port = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || port == UINT32_MAX) refuse();
  return {.kind = GuestChannelOption::Kind::vsock, .vsock_port = port};
}

}  // namespace

GuestChannelOption guest_channel_from_command_line(std::string_view command_line) {
  GuestChannelOption option;
  std::size_t start = 0;
  while (start < command_line.size()) {
    const std::size_t end = std::min(command_line.find_first_of(" \t\n", start), command_line.size());
    const std::string_view word = command_line.substr(start, end - start);
    if (word.starts_with(kOption)) option = parse_value(word.substr(kOption.size()));
    start = end + 1;
  }
  return option;
}

}  // namespace airlock::sandbox::vm
