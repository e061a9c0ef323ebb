#include "server/cli_args.h"

#include <algorithm>

namespace airlock::server {

CliArgs::CliArgs(std::vector<std::string> args) {
  auto separator = std::find(args.begin(), args.end(), "--");
  if (separator != args.end()) passthrough_.assign(separator + 1, args.end());
  args_.assign(args.begin(), separator);
}

std::optional<std::string> CliArgs::take_value(const std::string& name) {
  for (auto it = args_.begin(); it != args_.end(); ++it) {
    if (*it == name) {
      if (it + 1 == args_.end()) throw std::invalid_argument(name + " needs a value");
      std::string value = *(it + 1);
      args_.erase(it, it + 2);
      return value;
    }
    if (it->starts_with(name + "=")) {
      std::string value = it->substr(name.size() + 1);
      args_.erase(it);
      return value;
    }
  }
  return std::nullopt;
}

std::optional<long long> CliArgs::take_number(const std::string& name) {
  auto value = take_value(name);
  if (!value) return std::nullopt;
  try {
    std::size_t used = 0;
    long long number = std::stoll(*value, &used);
    if (used != value->size() || number <= 0) throw std::invalid_argument("");
    return number;
  } catch (const std::exception&) {
    throw std::invalid_argument(name + " needs a positive whole number, got \"" + *value + "\"");
  }
}

bool CliArgs::take_flag(const std::string& name) {
  auto it = std::find(args_.begin(), args_.end(), name);
  if (it == args_.end()) return false;
  args_.erase(it);
  return true;
}

std::vector<std::string> CliArgs::positionals() const {
  for (const auto& arg : args_)
    if (arg.size() > 1 && arg.starts_with('-')) throw std::invalid_argument("unknown option " + arg);
  return args_;
}

}  // namespace airlock::server
