#pragma once

#include <string>
#include <vector>

namespace airlock::server {

// Each returns the process exit code.
int serve_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int doctor_command(const std::vector<std::string>& args);
int wsb_command(const std::vector<std::string>& args);

}  // namespace airlock::server
