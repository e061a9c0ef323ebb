#include "server/run.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "server/platform/signals.h"

namespace airlock::server {

namespace asio = boost::asio;

const char* to_string(OutputStream stream) { return stream == OutputStream::stdout_stream ? "stdout" : "stderr"; }

namespace {

// Cuts at most `limit` bytes off the front of valid UTF-8 without splitting a character.
std::size_t utf8_prefix_length(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text.size();
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

std::string format_bytes(std::int64_t bytes) {
  if (bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

Run::Run(asio::io_context& io, std::string id, RunPlan plan, sandbox::Backend& backend,
         std::shared_ptr<RunObserver> observer, std::function<void(Run&)> on_done)
    : io_(io),
      id_(std::move(id)),
      plan_(std::move(plan)),
      backend_(backend),
      observer_(std::move(observer)),
      on_done_(std::move(on_done)),
      stdout_(io),
      stderr_(io),
      stdin_(io),
      exit_watch_(io),
      timeout_timer_(io),
      flush_timer_(io) {
  if (CompilerJsonRendering::wanted_by(plan_.spec.steps)) compiler_json_.emplace();
}

Run::~Run() = default;

void Run::start() {
  launched_ = true;
  started_at_ = std::chrono::steady_clock::now();
  placeholders_ = sandbox::ProtectedPlaceholders(plan_.spec.policy);
  try {
    if (plan_.spec.policy.workspace_mode == sandbox::WorkspaceMode::overlay) layer_capture_.emplace(plan_.spec);
    process_ = backend_.start(plan_.spec);
    if (layer_capture_) layer_capture_->hold(process_->take_overlay_layer());
  } catch (const sandbox::SandboxUnavailable& error) {
    protocol::RunResult result;
    result.runId = id_;
    result.status = protocol::RunStatus::error;
    result.message = error.what();
    return finish(std::move(result), true);
  } catch (const std::exception& error) {
    protocol::RunResult result;
    result.runId = id_;
    result.status = protocol::RunStatus::error;
    result.message = std::string("could not start the sandbox: ") + error.what();
    return finish(std::move(result), false);
  }
  observer_->on_started(*this);

  stdout_.pipe.assign(process_->take_stdout().release());
  stderr_.pipe.assign(process_->take_stderr().release());
  stdin_.assign(process_->take_stdin().release());
  exit_watch_.assign(process_->wait_fd());

  read(OutputStream::stdout_stream);
  read(OutputStream::stderr_stream);
  wait_for_exit();
  stdin_queue_ = std::move(plan_.stdin_text);
  stdin_eof_requested_ = plan_.close_stdin;
  write_stdin();

  timeout_timer_.expires_after(std::chrono::milliseconds(plan_.spec.policy.limits.timeout_ms));
  timeout_timer_.async_wait([self = shared_from_this()](boost::system::error_code error) {
    if (!error) self->end(EndReason::timeout);
  });
}

void Run::read(OutputStream stream) {
  StreamState& s = state(stream);
  if (s.eof || finished_) return;
  if (observer_->congested()) {
    observer_->when_uncongested([self = shared_from_this(), stream] { self->read(stream); });
    return;
  }
  s.pipe.async_read_some(asio::buffer(s.buffer.get(), kReadBytes), [self = shared_from_this(), stream](boost::system::error_code error, std::size_t n) {
    StreamState& s = self->state(stream);
    if (error == asio::error::operation_aborted) return;
    if (error) {
      if (error != asio::error::eof) spdlog::warn("run {}: reading {} failed: {}", self->id_, to_string(stream), error.message());
      self->append_text(stream, {}, true);
      s.eof = true;
      self->flush(stream, true);
      self->maybe_finish();
      return;
    }
    self->accept_bytes(stream, std::string_view(s.buffer.get(), n));
    self->read(stream);
  });
}

void Run::accept_bytes(OutputStream stream, std::string_view bytes) {
  StreamState& s = state(stream);
  const std::int64_t delivered = stdout_.bytes + stderr_.bytes;
  s.bytes += static_cast<std::int64_t>(bytes.size());
  if (truncated_) return;  // the program is being stopped; what it still writes is discarded
  const std::int64_t limit = plan_.spec.policy.limits.output_bytes;
  if (delivered + static_cast<std::int64_t>(bytes.size()) > limit) {
    bytes = bytes.substr(0, static_cast<std::size_t>(std::max<std::int64_t>(0, limit - delivered)));
    truncated_ = true;
  }
  append_text(stream, bytes, truncated_);
  if (s.pending.size() >= kChunkBytes) flush(stream, false);
  if (!s.pending.empty()) schedule_flush();
  if (truncated_) end(EndReason::output_limit);
}

void Run::append_text(OutputStream stream, std::string_view bytes, bool end_of_stream) {
  StreamState& s = state(stream);
  if (stream == OutputStream::stdout_stream || !compiler_json_) {
    const std::size_t already_pending = s.pending.size();
    s.chunker.push(bytes, s.pending);
    if (end_of_stream) s.chunker.finish(s.pending);
    if (stream == OutputStream::stderr_stream) stderr_capture_.append(std::string_view(s.pending).substr(already_pending));
    return;
  }
  std::string text;
  std::string parsed;
  s.chunker.push(bytes, text);
  if (end_of_stream) s.chunker.finish(text);
  compiler_json_->push(text, s.pending, parsed);
  if (end_of_stream) compiler_json_->finish(s.pending, parsed);
  stderr_capture_.append(parsed);
}

void Run::flush(OutputStream stream, bool everything) {
  StreamState& s = state(stream);
  // Pieces are cut from a view and the sent ones erased at once: erasing each from the front moved the rest every time.
  std::string_view rest = s.pending;
  while (!rest.empty() && (everything || rest.size() >= kChunkBytes)) {
    const std::size_t length = utf8_prefix_length(rest, kChunkBytes);
    observer_->on_output(*this, stream, rest.substr(0, length));
    rest.remove_prefix(length);
  }
  s.pending.erase(0, s.pending.size() - rest.size());
}

void Run::schedule_flush() {
  if (flush_scheduled_) return;
  flush_scheduled_ = true;
  flush_timer_.expires_after(kFlushInterval);
  flush_timer_.async_wait([self = shared_from_this()](boost::system::error_code error) {
    self->flush_scheduled_ = false;
    if (error || self->finished_) return;
    self->flush(OutputStream::stdout_stream, true);
    self->flush(OutputStream::stderr_stream, true);
  });
}

void Run::wait_for_exit() {
  exit_watch_.async_wait([self = shared_from_this()](boost::system::error_code error) {
    if (error == asio::error::operation_aborted || self->finished_) return;
    if (auto status = self->process_->poll()) {
      self->exit_status_ = std::move(status);
      self->maybe_finish();
    } else {
      self->wait_for_exit();
    }
  });
}

void Run::write_input(std::string text, bool eof) {
  if (finished_ || stdin_eof_requested_) return;
  if (stdin_queue_.size() + text.size() > kMaxPendingInputBytes) {
    spdlog::warn("run {}: dropping {} bytes of input: the program is not reading its stdin", id_, text.size());
    return;
  }
  stdin_queue_ += text;
  stdin_eof_requested_ = eof;
  if (started()) write_stdin();
}

void Run::write_stdin() {
  if (!stdin_.is_open() || !stdin_in_flight_.empty()) return;
  if (stdin_queue_.empty()) {
    if (stdin_eof_requested_) stdin_.close();
    return;
  }
  stdin_in_flight_ = std::move(stdin_queue_);
  stdin_queue_.clear();
  asio::async_write(stdin_, asio::buffer(stdin_in_flight_), [self = shared_from_this()](boost::system::error_code error, std::size_t) {
    self->stdin_in_flight_.clear();
    if (error) {
      // EPIPE: the program closed its stdin or ended; what it did not read is dropped.
      if (error != asio::error::operation_aborted) {
        boost::system::error_code ignored;
        self->stdin_.close(ignored);
      }
      return;
    }
    self->write_stdin();
  });
}

void Run::cancel() { end(EndReason::cancelled); }

void Run::end(EndReason reason) {
  if (finished_) return;
  if (end_reason_ == EndReason::none) end_reason_ = reason;
  if (!process_) {
    // Still queued: nothing to stop.
    protocol::RunResult result;
    result.runId = id_;
    result.status = protocol::RunStatus::cancelled;
    return finish(std::move(result), false);
  }
  process_->kill();
}

void Run::maybe_finish() {
  if (finished_ || !exit_status_ || !stdout_.eof || !stderr_.eof) return;
  finish(result_from(*exit_status_), false);
}

protocol::RunResult Run::result_from(const sandbox::ExitStatus& status) const {
  protocol::RunResult result;
  result.runId = id_;
  result.stdoutBytes = stdout_.bytes;
  result.stderrBytes = stderr_.bytes;
  result.truncated = truncated_;
  if (status.kind == sandbox::ExitStatus::Kind::exited) result.exitCode = status.code;
  if (status.kind == sandbox::ExitStatus::Kind::signaled) result.signal = platform::signal_name(status.signal);

  const auto& limits = plan_.spec.policy.limits;
  switch (end_reason_) {
    case EndReason::cancelled:
      result.status = protocol::RunStatus::cancelled;
      return result;
    case EndReason::timeout:
      result.status = protocol::RunStatus::timeout;
      result.message = "stopped after the time limit of " + std::to_string(limits.timeout_ms) + " ms";
      return result;
    case EndReason::output_limit:
      result.status = protocol::RunStatus::limit;
      result.limit = sandbox::to_string(sandbox::LimitKind::output);
      result.message = "stopped: the output limit of " + format_bytes(limits.output_bytes) + " was reached";
      return result;
    case EndReason::none:
      break;
  }
  if (status.kind == sandbox::ExitStatus::Kind::setup_failed) {
    result.status = protocol::RunStatus::error;
    result.message = status.message;
  } else if (status.limit) {
    result.status = protocol::RunStatus::limit;
    result.limit = sandbox::to_string(*status.limit);
    result.message = status.message.empty() ? std::string("stopped by the ") + sandbox::to_string(*status.limit) + " limit"
                                            : status.message;
  } else {
    const bool succeeded = status.kind == sandbox::ExitStatus::Kind::exited && status.code == 0;
    result.status = succeeded ? protocol::RunStatus::ok : protocol::RunStatus::failed;
    // A limit the program met and coped with.
    if (!status.message.empty()) result.message = status.message;
  }
  return result;
}

void Run::finish(protocol::RunResult result, bool unavailable) {
  if (finished_) return;
  flush(OutputStream::stdout_stream, true);
  flush(OutputStream::stderr_stream, true);
  finished_ = true;
  result.durationMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_at_).count();
  if (process_ == nullptr) result.durationMs = 0;
  release_sandbox();
  // Only now, with every process of the sandbox gone, is the layer final.
  if (layer_capture_) layer_ = layer_capture_->collect(result, plan_.spec.policy.limits.disk_bytes);
  layer_capture_.reset();
  observer_->on_finished(*this, result, unavailable);
  layer_.reset();
  // The manager may drop its reference now; pending handlers keep the object alive until they run.
  asio::post(io_, [self = shared_from_this()] { self->on_done_(*self); });
}

void Run::abandon() {
  if (finished_) return;
  finished_ = true;
  release_sandbox();
}

void Run::release_sandbox() {
  boost::system::error_code ignored;
  timeout_timer_.cancel();
  flush_timer_.cancel();
  exit_watch_.close();
  stdin_.close(ignored);
  stdout_.pipe.close(ignored);
  stderr_.pipe.close(ignored);
  process_.reset();
  placeholders_.remove();
}

}  // namespace airlock::server
