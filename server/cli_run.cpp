#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "server/backends.h"
#include "server/cli.h"
#include "server/cli_args.h"
#include "server/config.h"
#include "server/logging.h"
#include "server/overlay/layer_apply.h"
#include "server/platform/stdio_streams.h"
#include "server/request_error.h"
#include "server/run_manager.h"
#include "server/run_plan.h"

namespace airlock::server {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;

// Exit codes for runs that did not end by themselves, following the conventions of timeout(1) and shells.
constexpr int kExitTimeout = 124;
constexpr int kExitSandboxError = 125;
constexpr int kExitCancelled = 130;
constexpr int kExitLimit = 137;

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Writes the program's output straight to this terminal, stdout to stdout and stderr to stderr.
class TerminalObserver final : public RunObserver {
 public:
  void on_started(const Run&) override {}
  void on_output(const Run&, OutputStream stream, std::string_view text) override {
    write_all(stream == OutputStream::stdout_stream ? STDOUT_FILENO : STDERR_FILENO, text);
  }
  void on_finished(const Run& run, const protocol::RunResult& result, bool) override {
    result_ = result;
    layer_ = run.layer();
  }
  bool congested() const override { return false; }
  void when_uncongested(std::function<void()> resume) override { resume(); }

  const std::optional<protocol::RunResult>& result() const { return result_; }
  // An overlay run's pending changes; null when it changed nothing.
  const std::shared_ptr<overlay::Layer>& layer() const { return layer_; }

 private:
  std::optional<protocol::RunResult> result_;
  std::shared_ptr<overlay::Layer> layer_;
};

int exit_code_of(const protocol::RunResult& result) {
  switch (result.status) {
    case protocol::RunStatus::ok:
      return 0;
    case protocol::RunStatus::failed:
      if (result.exitCode) return *result.exitCode;
      return 128 + 9;
    case protocol::RunStatus::cancelled:
      return kExitCancelled;
    case protocol::RunStatus::timeout:
      return kExitTimeout;
    case protocol::RunStatus::limit:
      return kExitLimit;
    case protocol::RunStatus::error:
      return kExitSandboxError;
  }
  return kExitSandboxError;
}

std::string joined(const std::vector<std::string>& paths) {
  std::string text;
  for (const auto& path : paths) text += (text.empty() ? "" : ", ") + path;
  return text;
}

// An overlay run's changes never reach the workspace by themselves: with --apply they are written, otherwise the
// user learns what was dropped and how to keep it. Returns false when a change could not be applied.
bool settle_changes(overlay::Layer& layer, bool apply) {
  std::vector<std::string> paths;
  for (const auto& change : layer.changes()) paths.push_back(change.path);
  if (!apply) {
    std::fprintf(stderr,
                 "airlock: the run's changes were not applied (overlay workspace): %s. Pass --apply to write them "
                 "into the workspace, or --mode readwrite to let the program write it directly.\n",
                 joined(paths).c_str());
    return true;
  }
  const protocol::ApplyChangesResult result = overlay::apply_changes(layer, paths);
  if (!result.applied.empty()) std::fprintf(stderr, "airlock: applied %s\n", joined(result.applied).c_str());
  if (!result.conflicts.empty()) {
    std::fprintf(stderr, "airlock: not applied, changed in the workspace since the run started: %s\n",
                 joined(result.conflicts).c_str());
  }
  for (const auto& failure : result.failed) {
    std::fprintf(stderr, "airlock: not applied: %s (%s)\n", failure.path.c_str(), failure.message.c_str());
  }
  return result.conflicts.empty() && result.failed.empty();
}

std::string read_stream(std::istream& in) {
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Forwards this process's stdin to the run as it arrives (terminals and pipes).
class StdinPump {
 public:
  StdinPump(asio::io_context& io, RunManager& runs, std::string run_id)
      : input_(io, platform::standard_input()), runs_(runs), run_id_(std::move(run_id)) {
    buffer_.resize(16 * 1024);
    read();
  }

 private:
  void read() {
    input_.async_read_some(asio::buffer(buffer_), [this](boost::system::error_code error, std::size_t n) {
      if (error == asio::error::operation_aborted) return;
      if (error) {
        runs_.write_input(run_id_, "", true);
        return;
      }
      runs_.write_input(run_id_, buffer_.substr(0, n), false);
      read();
    });
  }

  platform::InputStream input_;
  RunManager& runs_;
  std::string run_id_;
  std::string buffer_;
};

}  // namespace

int run_command(const std::vector<std::string>& raw_args) {
  CliArgs args(raw_args);
  protocol::ExecuteParams params;
  ServerConfig config;
  std::string target;
  bool apply_changes = false;
  try {
    auto language = args.take_value("--lang");
    auto workspace = args.take_value("--workspace");
    auto mode = args.take_value("--mode");
    auto network = args.take_value("--network");
    auto isolation = args.take_value("--isolation");
    auto timeout = args.take_number("--timeout-ms");
    auto memory = args.take_number("--memory-mb");
    apply_changes = args.take_flag("--apply");
    auto config_file = args.take_value("--config");
    auto log_level = args.take_value("--log-level").value_or("warn");
    auto positionals = args.positionals();
    if (positionals.size() != 1) throw std::invalid_argument("expected exactly one FILE (or - for stdin)");
    target = positionals[0];
    configure_logging(std::nullopt, log_level);
    config = ServerConfig::load(config_file ? std::optional<fs::path>(*config_file) : std::nullopt);

    params.workspaceFolder = fs::absolute(workspace.value_or(fs::current_path().string())).lexically_normal().string();
    params.language = language;
    params.args = args.passthrough();
    if (mode || network || isolation)
      params.policy = protocol::ExecutePolicy{.isolation = isolation, .network = network, .workspace = mode};
    if (timeout || memory) params.limits = protocol::ExecuteLimits{.timeoutMs = timeout, .memoryMB = memory};

    if (target == "-") {
      if (!language) throw std::invalid_argument("reading the program from stdin needs --lang");
      params.code = read_stream(std::cin);
    } else {
      const fs::path file = fs::weakly_canonical(fs::absolute(target));
      const fs::path workspace_root = fs::weakly_canonical(params.workspaceFolder);
      const fs::path relative = file.lexically_relative(workspace_root);
      if (!fs::is_regular_file(file)) throw std::invalid_argument(target + ": no such file");
      if (!relative.empty() && *relative.begin() != "..") {
        params.file = relative.string();
      } else {
        // A program outside the workspace runs as a snippet: the sandbox never sees the folder it came from.
        std::ifstream in(file);
        params.code = read_stream(in);
        if (!language) {
          const Language* by_extension = config.languages.find_by_extension(file.extension().string());
          if (!by_extension) throw std::invalid_argument(target + ": unknown extension; pass --lang");
          params.language = by_extension->name;
        }
      }
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "airlock run: %s\n", error.what());
    return 2;
  }

  // The terminal's stdin goes to the program while it runs; a file or /dev/null is passed whole.
  const bool stream_stdin = target != "-" && platform::standard_input_streams();
  if (target != "-" && !stream_stdin) params.stdinText = read_stream(std::cin);
  params.interactive = stream_stdin;

  asio::io_context io;
  const Backends backends = Backends::for_this_host();
  RunPlan plan;
  try {
    plan = plan_run(params, config);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "airlock run: %s\n", error.what());
    return 2;
  }
  try {
    backends.select(plan.spec.policy.isolation);
  } catch (const RequestError& error) {
    std::fprintf(stderr, "airlock run: %s\n", error.what());
    return kExitSandboxError;
  }

  RunManager runs(io, backends, 1, 0);
  auto observer = std::make_shared<TerminalObserver>();
  const std::string run_id = runs.next_id();
  runs.submit(run_id, std::move(plan), observer);
  std::optional<StdinPump> pump;
  if (stream_stdin) pump.emplace(io, runs, run_id);
  asio::signal_set interrupt(io, SIGINT, SIGTERM);
  interrupt.async_wait([&](boost::system::error_code error, int) {
    if (!error) runs.cancel(run_id);
  });
  while (!observer->result() && io.run_one() > 0) {
  }
  const auto& result = observer->result();
  if (!result) return kExitSandboxError;
  if (result->status != protocol::RunStatus::ok && result->status != protocol::RunStatus::failed) {
    std::string note = "airlock: run " + std::string(protocol::to_string(result->status));
    if (result->message) note += ": " + *result->message;
    std::fprintf(stderr, "%s\n", note.c_str());
  } else if (result->message) {
    std::fprintf(stderr, "airlock: %s\n", result->message->c_str());
  }
  if (observer->layer() && !settle_changes(*observer->layer(), apply_changes)) return kExitSandboxError;
  return exit_code_of(*result);
}

}  // namespace airlock::server
