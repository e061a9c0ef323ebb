#pragma once

// One execute request from start to result: starts the sandbox, streams its output (coalesced, UTF-8 safe,
// capped, with backpressure), feeds its stdin, enforces the wall-clock timeout, and reports exactly one result.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "protocol/messages.h"
#include "protocol/utf8_chunker.h"
#include "sandbox/backend.h"
#include "sandbox/protected_placeholders.h"
#include "server/compiler_json_rendering.h"
#include "server/output_capture.h"
#include "server/overlay/layer.h"
#include "server/overlay/layer_capture.h"
#include "server/platform/process_watch.h"
#include "server/run_plan.h"

namespace airlock::server {

enum class OutputStream { stdout_stream = 0, stderr_stream = 1 };
const char* to_string(OutputStream stream);

class Run;

// Where a run's events go: the protocol session, or the CLI's terminal.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void on_started(const Run& run) = 0;
  virtual void on_output(const Run& run, OutputStream stream, std::string_view text) = 0;
  // Exactly once per run. `unavailable` is set when the sandbox could not be created at all.
  virtual void on_finished(const Run& run, const protocol::RunResult& result, bool unavailable) = 0;
  // Backpressure: while congested the run stops reading the program's output, so the program blocks.
  virtual bool congested() const = 0;
  virtual void when_uncongested(std::function<void()> resume) = 0;
};

class Run : public std::enable_shared_from_this<Run> {
 public:
  // Text the run keeps of its stderr for diagnostics: the beginning and the end.
  static constexpr std::size_t kCaptureHeadBytes = 512 * 1024;
  static constexpr std::size_t kCaptureTailBytes = 512 * 1024;
  // Coalescing: at most one notification per stream per interval, or one per full chunk.
  static constexpr std::chrono::milliseconds kFlushInterval{10};
  static constexpr std::size_t kChunkBytes = 64 * 1024;
  // Reads take up to several chunks: a fast program then costs fewer wake-ups and reads per byte.
  static constexpr std::size_t kReadBytes = 256 * 1024;
  static constexpr std::size_t kMaxPendingInputBytes = 1 << 20;

  Run(boost::asio::io_context& io, std::string id, RunPlan plan, sandbox::Backend& backend,
      std::shared_ptr<RunObserver> observer, std::function<void(Run&)> on_done);
  ~Run();
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  void start();
  // Ends the run as "cancelled"; a queued run finishes without starting.
  void cancel();
  void write_input(std::string text, bool eof);
  // Kills the sandbox and waits for it to be gone; used when the server exits. No result is reported.
  void abandon();

  const std::string& id() const { return id_; }
  const RunPlan& plan() const { return plan_; }
  const char* isolation() const { return sandbox::to_string(plan_.spec.policy.isolation); }
  // The machine the run got, where it has one of its own (VM isolation); known once started.
  std::optional<sandbox::MachineReport> machine() const { return process_ ? process_->machine() : std::nullopt; }
  // Whether start() was called (the run left the queue), whatever happened next.
  bool started() const { return launched_; }
  std::string captured_stderr() const { return stderr_capture_.text(); }
  // An overlay run's layer with its pending changes, offered to the observer during on_finished, which keeps a
  // reference to keep the layer; null for other modes and for runs that changed nothing.
  const std::shared_ptr<overlay::Layer>& layer() const { return layer_; }

 private:
  enum class EndReason { none, cancelled, timeout, output_limit };
  struct StreamState {
    explicit StreamState(boost::asio::io_context& io) : pipe(io) {}
    platform::PipeStream pipe;
    // Left uninitialised: only the pages reads fill become resident, so a run that prints little costs little.
    std::unique_ptr<char[]> buffer = std::make_unique_for_overwrite<char[]>(kReadBytes);
    protocol::Utf8Chunker chunker;
    std::string pending;
    std::int64_t bytes = 0;
    bool eof = false;
  };

  void read(OutputStream stream);
  void accept_bytes(OutputStream stream, std::string_view bytes);
  // Turns a stream's bytes into its pending text (valid UTF-8) and, for stderr, into what the diagnostics parse.
  void append_text(OutputStream stream, std::string_view bytes, bool end_of_stream);
  void flush(OutputStream stream, bool everything);
  void schedule_flush();
  void wait_for_exit();
  void write_stdin();
  void end(EndReason reason);
  void maybe_finish();
  void finish(protocol::RunResult result, bool unavailable);
  // Closes every handle and destroys the sandbox, which kills and reaps what still runs in it.
  void release_sandbox();
  protocol::RunResult result_from(const sandbox::ExitStatus& status) const;
  StreamState& state(OutputStream stream) { return stream == OutputStream::stdout_stream ? stdout_ : stderr_; }

  boost::asio::io_context& io_;
  std::string id_;
  RunPlan plan_;
  sandbox::Backend& backend_;
  std::shared_ptr<RunObserver> observer_;
  std::function<void(Run&)> on_done_;

  sandbox::ProtectedPlaceholders placeholders_;
  std::unique_ptr<sandbox::Process> process_;
  StreamState stdout_;
  StreamState stderr_;
  platform::PipeStream stdin_;
  std::string stdin_queue_;
  std::string stdin_in_flight_;
  bool stdin_eof_requested_ = false;
  platform::ProcessWatch exit_watch_;
  boost::asio::steady_timer timeout_timer_;
  boost::asio::steady_timer flush_timer_;
  bool flush_scheduled_ = false;

  std::chrono::steady_clock::time_point started_at_;
  std::optional<sandbox::ExitStatus> exit_status_;
  EndReason end_reason_ = EndReason::none;
  bool truncated_ = false;
  bool finished_ = false;
  bool launched_ = false;
  OutputCapture stderr_capture_{kCaptureHeadBytes, kCaptureTailBytes};
  // Runs whose steps ask gcc for JSON diagnostics: stderr's JSON lines are shown as gcc's text and parsed as JSON.
  std::optional<CompilerJsonRendering> compiler_json_;
  std::optional<overlay::LayerCapture> layer_capture_;
  std::shared_ptr<overlay::Layer> layer_;
};

}  // namespace airlock::server
