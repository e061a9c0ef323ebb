#include "bench/machine_info.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <string>

namespace airlock::bench {
namespace {

// The value after "key" and a separator (':' or '=') on the first line of `file` that starts with it.
std::string first_value(const char* file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with(key)) continue;
    std::string value = line.substr(line.find_first_of(":=") + 1);
    value.erase(0, value.find_first_not_of(" \t\""));
    while (!value.empty() && (value.back() == '"' || value.back() == ' ')) value.pop_back();
    return value;
  }
  return "unknown";
}

}  // namespace

nlohmann::json describe_machine() {
  utsname host{};
  ::uname(&host);
  const std::string memory_kib = first_value("/proc/meminfo", "MemTotal");
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", &utc);
  return {{"cpu", first_value("/proc/cpuinfo", "model name")},
          {"cores", ::sysconf(_SC_NPROCESSORS_ONLN)},
          {"memory_gib", std::stoll(memory_kib) / (1024 * 1024)},
          {"kernel", host.release},
          {"os", first_value("/etc/os-release", "PRETTY_NAME")},
          {"date", date}};
}

}  // namespace airlock::bench
