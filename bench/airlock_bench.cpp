// airlock_bench: measures a real `airlock serve` against what users would run instead, all in one invocation,
// and writes the figures and targets as JSON. bench/run builds it, runs it and renders the table.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "bench/machine_info.h"
#include "bench/proc_status.h"
#include "bench/scenarios.h"

namespace {

using namespace airlock::bench;
namespace fs = std::filesystem;

constexpr const char* kUsage = R"(usage: airlock_bench [--airlock PATH] [--json FILE] [--quick] [--only NAME,...]
  --airlock PATH  the airlock binary to measure (default: the one built next to this program)
  --json FILE     write the results there (default: standard output)
  --quick         few iterations and 8 MiB of streaming: proves every measurement works and every byte arrives;
                  targets are reported but not enforced
  --only NAMES    run only these of: start, streaming, cancel, concurrency, memory
Exit status: 0 when every target is met, 1 when one is missed, 2 when a measurement failed.
)";

struct Options {
  std::string airlock = AIRLOCK_BINARY;
  std::string json_file;
  bool quick = false;
  std::vector<std::string> only;
};

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--airlock") {
      options.airlock = value();
    } else if (arg == "--json") {
      options.json_file = value();
    } else if (arg == "--quick") {
      options.quick = true;
    } else if (arg == "--only") {
      std::string names = value();
      for (std::size_t at = 0; at <= names.size();) {
        const std::size_t comma = std::min(names.find(',', at), names.size());
        options.only.push_back(names.substr(at, comma - at));
        at = comma + 1;
      }
    } else {
      throw std::invalid_argument("unknown option " + arg);
    }
  }
  return options;
}

Iterations quick_iterations() {
  return {.start_latency = 10,
          .streaming_rounds = 2,
          .streaming_bytes = 8ll << 20,
          .cancel = 3,
          .concurrency_rounds = 1,
          .concurrent_runs = 32,
          .sequential_runs = 100};
}

// A scratch folder with the workspace, the server's config and its log; removed at the end.
class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "airlock-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed under " + pattern);
    root_ = pattern;
    fs::create_directory(workspace());
    // The server may run the sandbox as another user, who must reach the workspace.
    fs::permissions(root_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
    // 32 simultaneous runs, as the concurrency measurement asks for.
    std::ofstream(config()) << R"({"maxConcurrentRuns": 32})";
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  std::string workspace() const { return (root_ / "workspace").string(); }
  std::string config() const { return (root_ / "config.json").string(); }
  std::string log() const { return (root_ / "server.log").string(); }

 private:
  fs::path root_;
};

bool every_target_met(const json& results) {
  for (const auto& [name, section] : results["measurements"].items()) {
    for (const auto& target : section.value("targets", json::array())) {
      if (!target["met"].get<bool>()) return false;
    }
  }
  return true;
}

int run(const Options& options) {
  Scratch scratch;
  ServerConnection server(options.airlock, scratch.config(), scratch.log());
  RunEvents events(server);
  BenchContext context{.server = server, .events = events, .workspace = scratch.workspace(),
                       .iterations = options.quick ? quick_iterations() : Iterations{},
                       .idle_rss_kib = resident_kib(server.server_pid())};
  const std::vector<std::pair<std::string, std::function<json(BenchContext&)>>> scenarios{
      {"start", measure_start_latency},   {"streaming", measure_streaming}, {"cancel", measure_cancel_latency},
      {"concurrency", measure_concurrency}, {"memory", measure_memory_over_runs}};
  json results{{"machine", describe_machine()}, {"quick", options.quick}, {"measurements", json::object()}};
  for (const auto& [name, measure] : scenarios) {
    if (!options.only.empty() && std::find(options.only.begin(), options.only.end(), name) == options.only.end()) {
      continue;
    }
    std::cerr << "airlock_bench: measuring " << name << "\n";
    results["measurements"][name] = measure(context);
  }
  const std::string text = results.dump(2) + "\n";
  if (options.json_file.empty()) {
    std::cout << text;
  } else {
    std::ofstream(options.json_file) << text;
  }
  return options.quick || every_target_met(results) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "airlock_bench: " << error.what() << "\n" << kUsage;
    return 2;
  }
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::cerr << "airlock_bench: " << error.what() << "\n";
    return 2;
  }
}
