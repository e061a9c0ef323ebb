#include "bench/proc_status.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace airlock::bench {
namespace {

std::string proc_path(pid_t pid, const char* entry) { return "/proc/" + std::to_string(pid) + "/" + entry; }

std::int64_t status_field_kib(pid_t pid, const std::string& field) {
  std::ifstream status(proc_path(pid, "status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(field + ":")) return std::stoll(line.substr(field.size() + 1));
  }
  throw std::runtime_error("no " + field + " in " + proc_path(pid, "status") + ": is the server still running?");
}

}  // namespace

std::int64_t resident_kib(pid_t pid) { return status_field_kib(pid, "VmRSS"); }
std::int64_t peak_resident_kib(pid_t pid) { return status_field_kib(pid, "VmHWM"); }

double cpu_seconds(pid_t pid) {
  std::ifstream stat(proc_path(pid, "stat"));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The command name may hold spaces and parentheses; fields resume after the last ')'.
  const auto close = text.rfind(')');
  if (close == std::string::npos) throw std::runtime_error("unreadable " + proc_path(pid, "stat"));
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  // utime and stime are fields 14 and 15; field 3 (state) is the first after the name.
  for (int index = 3; index < 14; ++index) fields >> field;
  long long user = 0, system = 0;
  fields >> user >> system;
  return static_cast<double>(user + system) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::int64_t open_descriptors(pid_t pid) {
  std::int64_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(proc_path(pid, "fd"))) ++count;
  return count;
}

}  // namespace airlock::bench
