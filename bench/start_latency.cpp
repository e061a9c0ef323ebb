// Start latency: a sandbox/execute of /bin/true through the protocol, against what a user would do instead:
// bubblewrap with the same mounts, plain unshare(1) with the same namespaces, and a bare posix_spawn.

#include <cmath>
#include <filesystem>
#include <functional>
#include <map>

#include "bench/child_process.h"
#include "bench/sample_stats.h"
#include "bench/scenarios.h"

namespace airlock::bench {
namespace {

namespace fs = std::filesystem;

constexpr int kWarmUpRounds = 3;

// The host entries Airlock's root is built from (see sandbox/linux/root_plan.cpp), so bwrap does the same work.
constexpr const char* kSystemPaths[] = {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"};
constexpr const char* kEtcEntries[] = {"passwd", "group", "hosts", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
                                       "alternatives", "ssl", "ca-certificates", "localtime", "nsswitch.conf"};

void add_host_entry(std::vector<std::string>& args, const fs::path& path) {
  std::error_code error;
  const auto status = fs::symlink_status(path, error);
  if (error || !fs::exists(status)) return;
  if (fs::is_symlink(status)) {
    args.insert(args.end(), {"--symlink", fs::read_symlink(path).string(), path.string()});
  } else {
    args.insert(args.end(), {"--ro-bind", path.string(), path.string()});
  }
}

std::vector<std::string> bwrap_command(const std::string& workspace) {
  std::vector<std::string> args{"bwrap", "--unshare-all", "--die-with-parent", "--new-session"};
  for (const char* path : kSystemPaths) add_host_entry(args, path);
  args.insert(args.end(), {"--dir", "/etc"});
  for (const char* entry : kEtcEntries) add_host_entry(args, fs::path("/etc") / entry);
  for (const auto& entry : fs::directory_iterator("/etc")) {
    if (entry.path().filename().string().starts_with("python3")) add_host_entry(args, entry.path());
  }
  args.insert(args.end(), {"--tmpfs", "/tmp", "--dir", "/tmp/build", "--dir", "/tmp/home", "--ro-bind", workspace,
                           workspace, "--dir", "/airlock", "--dev", "/dev", "--proc", "/proc", "--remount-ro", "/",
                           "--chdir", workspace, "/bin/true"});
  return args;
}

std::vector<std::string> unshare_command() {
  return {"unshare", "--user", "--map-root-user", "--mount", "--pid", "--fork", "--net", "--ipc", "--uts", "--cgroup",
          "/bin/true"};
}

struct Variant {
  std::string name;
  std::function<void()> start_once;
  std::vector<double> samples_ms;
  std::string unavailable;  // why the variant could not run here
};

}  // namespace

json measure_start_latency(BenchContext& context) {
  const auto bwrap = bwrap_command(context.workspace);
  const auto unshare = unshare_command();
  std::vector<Variant> variants;
  variants.push_back({"airlock", [&] { run_in_sandbox(context, {"/bin/true"}); }, {}, {}});
  variants.push_back({"bwrap", [&] { run_to_success(bwrap); }, {}, {}});
  variants.push_back({"unshare", [&] { run_to_success(unshare); }, {}, {}});
  variants.push_back({"posix_spawn", [] { run_to_success({"/bin/true"}); }, {}, {}});

  for (auto& variant : variants) {
    try {
      for (int i = 0; i < kWarmUpRounds; ++i) variant.start_once();
    } catch (const std::exception& error) {
      if (variant.name == "airlock") throw;
      variant.unavailable = error.what();
    }
  }
  // Interleaved, each round in a rotated order, so the machine's noise falls on every variant alike.
  for (int round = 0; round < context.iterations.start_latency; ++round) {
    for (std::size_t k = 0; k < variants.size(); ++k) {
      Variant& variant = variants[(static_cast<std::size_t>(round) + k) % variants.size()];
      if (!variant.unavailable.empty()) continue;
      const auto start = Clock::now();
      variant.start_once();
      variant.samples_ms.push_back(milliseconds_between(start, Clock::now()));
    }
  }

  json result{{"unit", "ms"}, {"rounds", context.iterations.start_latency}, {"variants", json::object()}};
  std::map<std::string, SampleSummary> summaries;
  for (const auto& variant : variants) {
    if (!variant.unavailable.empty()) {
      result["variants"][variant.name] = {{"unavailable", variant.unavailable}};
      continue;
    }
    summaries[variant.name] = summarize(variant.samples_ms);
    result["variants"][variant.name] = to_json(summaries[variant.name]);
  }
  result["targets"] = json::array();
  for (const char* reference : {"bwrap", "unshare", "posix_spawn"}) {
    if (!summaries.contains(reference)) continue;
    const double ratio = summaries["airlock"].median / summaries[reference].median;
    result[std::string("ratio_to_") + reference] = std::round(ratio * 100.0) / 100.0;
  }
  if (summaries.contains("bwrap")) {
    result["targets"].push_back(target_at_most("start: Airlock median / bwrap median",
                                               summaries["airlock"].median / summaries["bwrap"].median, 1.0, "x"));
  }
  result["command"] = {{"bwrap", bwrap}, {"unshare", unshare}};
  return result;
}

}  // namespace airlock::bench
