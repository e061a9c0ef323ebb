// Streaming: one producer writes a known pattern to stdout, through the sandbox and the protocol to this client,
// against the same producer into a plain pipe read by this process. Both sides check every byte in order.

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "bench/child_process.h"
#include "bench/proc_status.h"
#include "bench/sample_stats.h"
#include "bench/scenarios.h"

namespace airlock::bench {
namespace {

// 63 printable bytes and a newline: the pattern every received byte is checked against.
constexpr std::string_view kLine = "airlock streaming benchmark 0123456789 abcdefghijklmnopqrstuvwx\n";
static_assert(kLine.size() == 64);
constexpr std::size_t kPipeReadBytes = 1 << 20;
constexpr auto kMemorySampleInterval = std::chrono::milliseconds(5);

std::vector<std::string> producer_command(std::int64_t bytes) {
  return {"sh", "-c", "yes \"$1\" | head -c \"$2\"", "sh", std::string(kLine.substr(0, kLine.size() - 1)),
          std::to_string(bytes)};
}

// Checks that a stream, however it is cut, is the repeated line and nothing else.
class PatternCheck {
 public:
  void consume(std::string_view text) {
    while (!text.empty()) {
      const std::size_t at = static_cast<std::size_t>(received_ % kLine.size());
      const std::size_t length = std::min(text.size(), kLine.size() - at);
      if (std::memcmp(text.data(), kLine.data() + at, length) != 0) intact_ = false;
      received_ += static_cast<std::int64_t>(length);
      text.remove_prefix(length);
    }
  }
  void require(std::int64_t expected_bytes, const char* where) const {
    if (!intact_ || received_ != expected_bytes) {
      throw std::runtime_error(std::string(where) + ": received " + std::to_string(received_) + " of " +
                               std::to_string(expected_bytes) + " bytes" + (intact_ ? "" : ", not in order"));
    }
  }

 private:
  std::int64_t received_ = 0;
  bool intact_ = true;
};

double process_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double seconds_through_pipe(std::int64_t bytes) {
  Pipe output = make_pipe();
  const auto start = Clock::now();
  ChildProcess producer(producer_command(bytes), {.stdout_fd = output.write.get()});
  output.write.reset();
  PatternCheck check;
  std::string buffer(kPipeReadBytes, '\0');
  while (true) {
    const ssize_t got = ::read(output.read.get(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    check.consume(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
  producer.wait();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  check.require(bytes, "plain pipe");
  return seconds;
}

// Samples the server's resident memory until stopped; keeps the highest value.
class MemorySampler {
 public:
  explicit MemorySampler(pid_t pid)
      : thread_([this, pid] {
          while (!stop_) {
            peak_kib_ = std::max<std::int64_t>(peak_kib_, resident_kib(pid));
            std::this_thread::sleep_for(kMemorySampleInterval);
          }
        }) {}
  ~MemorySampler() {
    stop_ = true;
    thread_.join();
  }
  std::int64_t peak_kib() const { return peak_kib_; }

 private:
  std::atomic<bool> stop_ = false;
  std::atomic<std::int64_t> peak_kib_ = 0;
  std::thread thread_;
};

struct AirlockRound {
  double seconds = 0;
  double server_cpu_seconds = 0;
  double client_cpu_seconds = 0;
  std::int64_t peak_rss_kib = 0;
};

AirlockRound stream_through_airlock(BenchContext& context, std::int64_t bytes, int round) {
  const std::string run_id = "stream-" + std::to_string(round);
  PatternCheck check;
  context.events.stream_stdout(run_id, [&check](std::string_view text) { check.consume(text); });
  json params = execute_params(context, producer_command(bytes));
  params["runId"] = run_id;
  params["limits"] = {{"outputBytes", bytes + (1 << 20)}, {"timeoutMs", 600'000}};
  const pid_t server = context.server.server_pid();
  AirlockRound measured;
  const double server_cpu_before = cpu_seconds(server);
  const double client_cpu_before = process_cpu_seconds();
  {
    MemorySampler memory(server);
    const auto start = Clock::now();
    const json response = context.server.request("sandbox/execute", params);
    measured.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    measured.peak_rss_kib = memory.peak_kib();
    if (!response.contains("result") || response["result"]["status"] != "ok") {
      throw std::runtime_error("streaming run failed: " + response.dump());
    }
  }
  measured.server_cpu_seconds = cpu_seconds(server) - server_cpu_before;
  measured.client_cpu_seconds = process_cpu_seconds() - client_cpu_before;
  context.events.wait_exited(run_id);
  context.events.forget(run_id);
  check.require(bytes, "Airlock");
  return measured;
}

double mib_per_second(std::int64_t bytes, double seconds) { return static_cast<double>(bytes) / (1 << 20) / seconds; }

}  // namespace

json measure_streaming(BenchContext& context) {
  const std::int64_t bytes = context.iterations.streaming_bytes;
  const pid_t server = context.server.server_pid();
  const std::int64_t idle_rss_kib = resident_kib(server);
  std::vector<double> pipe_rates, airlock_rates, server_cpu, client_cpu;
  std::int64_t peak_rss_kib = 0;
  for (int round = 0; round < context.iterations.streaming_rounds; ++round) {
    const bool airlock_first = round % 2 == 0;
    if (!airlock_first) pipe_rates.push_back(mib_per_second(bytes, seconds_through_pipe(bytes)));
    const AirlockRound measured = stream_through_airlock(context, bytes, round);
    airlock_rates.push_back(mib_per_second(bytes, measured.seconds));
    server_cpu.push_back(measured.server_cpu_seconds);
    client_cpu.push_back(measured.client_cpu_seconds);
    peak_rss_kib = std::max(peak_rss_kib, measured.peak_rss_kib);
    if (airlock_first) pipe_rates.push_back(mib_per_second(bytes, seconds_through_pipe(bytes)));
  }
  const SampleSummary airlock = summarize(airlock_rates);
  const SampleSummary pipe = summarize(pipe_rates);
  const double ratio = airlock.median / pipe.median;
  const double growth_mib = static_cast<double>(peak_rss_kib - idle_rss_kib) / 1024.0;
  return {{"unit", "MiB/s"},
          {"bytes", bytes},
          {"rounds", context.iterations.streaming_rounds},
          {"variants", {{"airlock", to_json(airlock)}, {"pipe", to_json(pipe)}}},
          {"ratio_to_pipe", std::round(ratio * 100.0) / 100.0},
          {"server_cpu_seconds", to_json(summarize(server_cpu))},
          {"client_cpu_seconds", to_json(summarize(client_cpu))},
          {"server_rss_idle_kib", idle_rss_kib},
          {"server_rss_peak_kib", peak_rss_kib},
          {"targets",
           {target_at_least("streaming: Airlock throughput / pipe throughput", ratio, 0.5, "x"),
            target_at_most("streaming: server memory above idle", growth_mib, 32.0, "MiB")}}};
}

}  // namespace airlock::bench
