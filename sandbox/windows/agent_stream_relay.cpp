#include "sandbox/windows/agent_stream_relay.h"

#include <array>
#include <optional>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/windows/stream_handle.hpp>
#include <boost/asio/write.hpp>

#include "sandbox/windows/child_pipe.h"
#include "sandbox/windows/manual_reset_event.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

using boost::asio::windows::stream_handle;
using Completion = std::function<void(const boost::system::error_code&, std::size_t)>;

// The agent's stream, whichever kind it is.
class AgentStream {
 public:
  virtual ~AgentStream() = default;
  virtual void read_some(boost::asio::mutable_buffer buffer, Completion done) = 0;
  virtual void write_all(boost::asio::const_buffer buffer, Completion done) = 0;
  virtual void close() = 0;
};

template <class Stream>
class AsioAgentStream final : public AgentStream {
 public:
  explicit AsioAgentStream(Stream stream) : stream_(std::move(stream)) {}
  void read_some(boost::asio::mutable_buffer buffer, Completion done) override {
    stream_.async_read_some(buffer, std::move(done));
  }
  void write_all(boost::asio::const_buffer buffer, Completion done) override {
    boost::asio::async_write(stream_, buffer, std::move(done));
  }
  void close() override {
    boost::system::error_code ignored;
    stream_.close(ignored);
  }

 private:
  Stream stream_;
};

std::unique_ptr<AgentStream> open_agent_stream(boost::asio::io_context& io, AgentChannel channel) {
  if (auto* pipe = std::get_if<UniqueHandle>(&channel))
    return std::make_unique<AsioAgentStream<stream_handle>>(stream_handle(io, pipe->release()));
  auto& agent_socket = std::get<AgentSocket>(channel);
  using Socket = boost::asio::basic_stream_socket<boost::asio::generic::stream_protocol>;
  const boost::asio::generic::stream_protocol protocol(agent_socket.family, agent_socket.protocol);
  return std::make_unique<AsioAgentStream<Socket>>(Socket(io, protocol, agent_socket.socket.release()));
}

// One direction of the program's stdio: the relay's end of the pipe and the bytes being written to it.
struct OutputPipe {
  stream_handle pipe;
  std::string pending;  // what the session handed over, written from the front
  bool writing = false;
};

}  // namespace

// Everything below runs on the relay's thread, from io_.run(); the other threads only post to it.
class AgentStreamRelay::Loop {
 public:
  Loop(AgentChannel channel, const std::string& launch_payload, std::function<void()> stop_vm, HANDLE stdin_pipe,
       HANDLE stdout_pipe, HANDLE stderr_pipe)
      : agent_(open_agent_stream(io_, std::move(channel))),
        stdin_(io_, stdin_pipe),
        stdout_{stream_handle(io_, stdout_pipe)},
        stderr_{stream_handle(io_, stderr_pipe)},
        session_(launch_payload, nullptr, [this, stop_vm = std::move(stop_vm)] {
          stop_vm();
          agent_done_ = true;
        }) {}

  // Returns once the relay has finished, or at shutdown().
  void run(const std::function<void()>& on_finished) {
    on_finished_ = on_finished;
    boost::asio::post(io_, [this] { step(); });
    io_.run();
  }

  void post_stop() {
    boost::asio::post(io_, [this] {
      session_.request_stop();
      if (const auto left = session_.stop_grace_left()) {
        grace_.expires_after(*left);
        grace_.async_wait([this](const boost::system::error_code& error) {
          if (error) return;
          session_.check_stop_grace();
          step();
        });
      }
      step();
    });
  }

  void post_close_agent() {
    boost::asio::post(io_, [this] {
      agent_done_ = true;
      step();
    });
  }

  void post_shutdown() {
    boost::asio::post(io_, [this] { close_all(); });
  }

  vm::RelayOutcome take_outcome() { return std::move(session_.outcome()); }

 private:
  // After every event: start what can start now, then see whether the relay is done.
  void step() {
    if (over_) return;
    if (agent_done_ && session_.agent_open()) session_.agent_closed();
    if (!session_.agent_open()) close_agent_stream();
    write_agent();
    read_agent();
    read_stdin();
    write_output(stdout_, session_.stdout_pending());
    write_output(stderr_, session_.stderr_pending());
    if (finished()) {
      close_all();
      on_finished_();
    }
  }

  void read_agent() {
    if (reading_agent_ || !session_.wants_agent_bytes()) return;
    reading_agent_ = true;
    agent_->read_some(boost::asio::buffer(agent_buffer_), [this](const boost::system::error_code& error, std::size_t n) {
      reading_agent_ = false;
      if (over_) return;
      session_.agent_bytes(std::string_view(agent_buffer_.data(), n));
      if (error) session_.agent_closed();
      step();
    });
  }

  void write_agent() {
    if (writing_agent_ || !session_.agent_open() || session_.to_agent().empty()) return;
    writing_agent_ = true;
    sending_ = std::move(session_.to_agent());
    session_.to_agent().clear();
    agent_->write_all(boost::asio::buffer(sending_), [this](const boost::system::error_code& error, std::size_t) {
      writing_agent_ = false;
      if (over_) return;
      if (error) session_.agent_closed();
      step();
    });
  }

  void read_stdin() {
    if (reading_stdin_ || !stdin_.is_open() || !session_.wants_stdin()) return;
    reading_stdin_ = true;
    stdin_.async_read_some(boost::asio::buffer(stdin_buffer_), [this](const boost::system::error_code& error, std::size_t n) {
      reading_stdin_ = false;
      if (over_) return;
      session_.stdin_bytes(std::string_view(stdin_buffer_.data(), n));
      if (error) {
        boost::system::error_code ignored;
        stdin_.close(ignored);
        session_.stdin_closed();
      }
      step();
    });
  }

  // The session's bytes move into the pipe's own buffer while a write is in flight, so the session keeps taking
  // output up to its bound.
  void write_output(OutputPipe& output, std::string& from_session) {
    if (!output.pipe.is_open()) return from_session.clear();
    if (output.writing) return;
    output.pending = std::move(from_session);
    from_session.clear();
    if (output.pending.empty()) return;
    output.writing = true;
    boost::asio::async_write(output.pipe, boost::asio::buffer(output.pending),
                             [this, &output](const boost::system::error_code& error, std::size_t) {
                               output.writing = false;
                               output.pending.clear();
                               if (over_) return;
                               if (error) {
                                 // The server stopped reading: what the program writes from now on is dropped.
                                 boost::system::error_code ignored;
                                 output.pipe.close(ignored);
                               }
                               step();
                             });
  }

  bool finished() const {
    const auto flushed = [this](const OutputPipe& output, const std::string& from_session) {
      return !output.pipe.is_open() || (!output.writing && from_session.empty());
    };
    return !session_.agent_open() && !reading_agent_ && !writing_agent_ &&
           flushed(stdout_, session_.stdout_pending()) && flushed(stderr_, session_.stderr_pending());
  }

  void close_agent_stream() {
    if (agent_closed_) return;
    agent_closed_ = true;
    agent_->close();
  }

  // The server sees EOF on the program's output only now, after every byte the agent sent.
  void close_all() {
    over_ = true;
    close_agent_stream();
    boost::system::error_code ignored;
    stdin_.close(ignored);
    stdout_.pipe.close(ignored);
    stderr_.pipe.close(ignored);
    grace_.cancel();
    work_.reset();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::unique_ptr<AgentStream> agent_;
  stream_handle stdin_;
  OutputPipe stdout_;
  OutputPipe stderr_;
  boost::asio::steady_timer grace_{io_};
  vm::AgentSession session_;
  std::array<char, vm::kMaxStreamPayload> agent_buffer_{};
  std::array<char, vm::kMaxStreamPayload> stdin_buffer_{};
  std::string sending_;
  bool reading_agent_ = false;
  bool writing_agent_ = false;
  bool reading_stdin_ = false;
  bool agent_done_ = false;    // stop_vm ran or close_agent() was asked: the stream is closed at the next step
  bool agent_closed_ = false;
  bool over_ = false;
  std::function<void()> on_finished_;
};

RelayPipes RelayPipes::make() {
  ChildPipe in = make_child_pipe(PipeDirection::to_child, ChildEnd::this_process);
  ChildPipe out = make_child_pipe(PipeDirection::from_child, ChildEnd::this_process);
  ChildPipe err = make_child_pipe(PipeDirection::from_child, ChildEnd::this_process);
  return {.stdin_server = std::move(in.server), .stdout_server = std::move(out.server),
          .stderr_server = std::move(err.server), .stdin_relay = std::move(in.child),
          .stdout_relay = std::move(out.child), .stderr_relay = std::move(err.child)};
}

AgentStreamRelay::AgentStreamRelay(AgentChannel channel, std::string launch_payload, std::function<void()> stop_vm)
    : AgentStreamRelay(std::move(channel), std::move(launch_payload), std::move(stop_vm), RelayPipes::make()) {}

AgentStreamRelay::AgentStreamRelay(AgentChannel channel, std::string launch_payload, std::function<void()> stop_vm,
                                   RelayPipes pipes)
    : stdin_server_(std::move(pipes.stdin_server)),
      stdout_server_(std::move(pipes.stdout_server)),
      stderr_server_(std::move(pipes.stderr_server)),
      done_(make_manual_reset_event("agent relay done")) {
  loop_ = std::make_unique<Loop>(std::move(channel), launch_payload, std::move(stop_vm), pipes.stdin_relay.release(),
                                 pipes.stdout_relay.release(), pipes.stderr_relay.release());
  thread_ = std::thread([this] {
    loop_->run([this] {
      outcome_ = loop_->take_outcome();
      finished_.store(true);
      ::SetEvent(done_.get());
    });
  });
}

AgentStreamRelay::~AgentStreamRelay() {
  loop_->post_shutdown();
  thread_.join();
}

void AgentStreamRelay::request_stop() { loop_->post_stop(); }

void AgentStreamRelay::close_agent() { loop_->post_close_agent(); }

}  // namespace airlock::sandbox::windows
