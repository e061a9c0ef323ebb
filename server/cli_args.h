#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace airlock::server {

// Command-line arguments for one subcommand: options are taken out by name, what stays are positionals.
class CliArgs {
 public:
  explicit CliArgs(std::vector<std::string> args);

  // "--name VALUE" or "--name=VALUE"; throws std::invalid_argument when the value is missing.
  std::optional<std::string> take_value(const std::string& name);
  std::optional<long long> take_number(const std::string& name);
  bool take_flag(const std::string& name);
  // Everything after "--", verbatim.
  const std::vector<std::string>& passthrough() const { return passthrough_; }
  // The positionals; throws std::invalid_argument for an option nobody took.
  std::vector<std::string> positionals() const;

 private:
  std::vector<std::string> args_;
  std::vector<std::string> passthrough_;
};

}  // namespace airlock::server
