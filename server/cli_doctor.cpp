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
  auto backend = make_process_backend();
  const auto reason = backend->unavailable_reason();
  const auto protections = backend->probe();
  const char* isolation = sandbox::to_string(backend->isolation());

  if (as_json) {
    nlohmann::json report = {{"isolation", {{{"name", isolation}, {"available", !reason}, {"reason", reason.value_or("")}}}},
                             {"protections", nlohmann::json::array()}};
    for (const auto& p : protections)
      report["protections"].push_back({{"name", p.name}, {"active", p.active}, {"detail", p.detail}});
    std::printf("%s\n", report.dump(2).c_str());
  } else {
    std::printf("airlock %s on this host\n\n", AIRLOCK_VERSION);
    std::printf("isolation \"%s\": %s\n", isolation, reason ? "UNAVAILABLE" : "available");
    if (reason) std::printf("  %s\n", reason->c_str());
    std::printf("\nprotections:\n");
    for (const auto& p : protections)
      std::printf("  [%s] %-24s %s\n", p.active ? " ok " : "MISS", p.name.c_str(), p.detail.c_str());
  }
  return reason ? 1 : 0;
}

}  // namespace airlock::server
