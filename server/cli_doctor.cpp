#include <cstdio>

#include <nlohmann/json.hpp>

#include "server/backends.h"
#include "server/cli.h"
#include "server/cli_args.h"

namespace airlock::server {

int doctor_command(const std::vector<std::string>& raw_args) {
  CliArgs args(raw_args);
  bool as_json = false;
  try {
    as_json = args.take_flag("--json");
    if (!args.positionals().empty()) throw std::invalid_argument("doctor takes no positional arguments");
  } catch (const std::exception& error) {
    std::fprintf(stderr, "airlock doctor: %s\n", error.what());
    return 2;
  }
  const Backends backends = Backends::for_this_host();
  nlohmann::json report = {{"isolation", nlohmann::json::array()}, {"protections", nlohmann::json::array()}};
  bool any_available = false;
  if (!as_json) std::printf("airlock %s on this host\n", AIRLOCK_VERSION);
  for (const auto& backend : backends.all()) {
    const char* isolation = sandbox::to_string(backend->isolation());
    const auto reason = backend->unavailable_reason();
    any_available = any_available || !reason;
    const auto protections = backend->probe();
    report["isolation"].push_back({{"name", isolation}, {"available", !reason}, {"reason", reason.value_or("")}});
    for (const auto& p : protections)
      report["protections"].push_back({{"isolation", isolation}, {"name", p.name}, {"active", p.active}, {"detail", p.detail}});
    if (as_json) continue;
    std::printf("\nisolation \"%s\": %s\n", isolation, reason ? "UNAVAILABLE" : "available");
    if (reason) std::printf("  %s\n", reason->c_str());
    for (const auto& p : protections)
      std::printf("  [%s] %-24s %s\n", p.active ? " ok " : "MISS", p.name.c_str(), p.detail.c_str());
  }
  if (as_json) std::printf("%s\n", report.dump(2).c_str());
  return any_available ? 0 : 1;
}

}  // namespace airlock::server
