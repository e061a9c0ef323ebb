#include "sandbox/vm/agent_relay.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/layer_writer.h"

namespace airlock::sandbox::vm {
namespace {

UniqueFd make_eventfd() {
  UniqueFd fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!fd) throw std::system_error(errno, std::generic_category(), "eventfd for the VM relay");
  return fd;
}

void set_nonblocking(int fd) {
  if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

void signal_event(int fd) {
  const std::uint64_t one = 1;
  const ssize_t ignored = ::write(fd, &one, sizeof one);
  (void)ignored;
}

// Reads what is there without blocking. Returns false at EOF or on an error other than "try again".
bool read_available(int fd, std::string& into, std::size_t max) {
  char buffer[64 * 1024];
  const ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, max));
  if (n > 0) into.append(buffer, static_cast<std::size_t>(n));
  return n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR));
}

// Writes what the descriptor takes now. Returns false when the reader is gone (the bytes are then dropped).
// A socket is written with MSG_NOSIGNAL: a VM that died must not kill the server with SIGPIPE.
bool write_available(UniqueFd& fd, std::string& pending) {
  ssize_t n = ::send(fd.get(), pending.data(), pending.size(), MSG_NOSIGNAL);
  if (n < 0 && errno == ENOTSOCK) n = ::write(fd.get(), pending.data(), pending.size());
  if (n >= 0) {
    pending.erase(0, static_cast<std::size_t>(n));
    return true;
  }
  if (errno == EAGAIN || errno == EINTR) return true;
  pending.clear();
  fd.reset();
  return false;
}

class RelayLoop {
 public:
  RelayLoop(RelayEnds& ends, std::string& to_agent, RelayOutcome& outcome, const std::function<void()>& stop_vm)
      : ends_(ends), to_agent_(to_agent), outcome_(outcome), stop_vm_(stop_vm) {}

  void run(int stop_fd, int stop_requested_fd) {
    for (int fd : {ends_.channel.get(), ends_.console.get(), ends_.stdin_read.get(), ends_.stdout_write.get(),
                   ends_.stderr_write.get()})
      set_nonblocking(fd);
    while (!finished()) {
      std::array<pollfd, 8> fds{};
      const bool room = stdout_.size() + stderr_.size() < AgentRelay::kPendingOutputBytes;
      const short channel_events = static_cast<short>((channel_open_ && room ? POLLIN : 0) | (to_agent_.empty() ? 0 : POLLOUT));
      fds[0] = {channel_events != 0 ? ends_.channel.get() : -1, channel_events, 0};
      fds[1] = {ends_.console.get(), POLLIN, 0};
      fds[2] = {to_agent_.size() < kMaxStreamPayload ? ends_.stdin_read.get() : -1, POLLIN, 0};
      fds[3] = {stdout_.empty() ? -1 : ends_.stdout_write.get(), POLLOUT, 0};
      fds[4] = {stderr_.empty() ? -1 : ends_.stderr_write.get(), POLLOUT, 0};
      fds[5] = {vm_gone_ ? -1 : ends_.transport_end.get(), POLLIN, 0};
      fds[6] = {stop_fd, POLLIN, 0};
      fds[7] = {stop_deadline_ ? -1 : stop_requested_fd, POLLIN, 0};
      if (::poll(fds.data(), fds.size(), stop_wait_ms()) < 0) {
        if (errno == EINTR) continue;
        outcome_.protocol_error = std::string("relay poll failed: ") + std::strerror(errno);
        return;
      }
      if (fds[6].revents) return;
      if (fds[7].revents) ask_agent_to_stop();
      if (stop_deadline_ && std::chrono::steady_clock::now() >= *stop_deadline_) stop_vm_();
      if (fds[5].revents) vm_gone_ = true;
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) read_channel();
      if (fds[0].revents & POLLOUT && !write_available(ends_.channel, to_agent_)) channel_open_ = false;
      if (fds[1].revents || vm_gone_) read_console();
      if (fds[2].revents) read_stdin();
      if (fds[3].revents) write_available(ends_.stdout_write, stdout_);
      if (fds[4].revents) write_available(ends_.stderr_write, stderr_);
      // The VM is gone: what it wrote is all in the socket buffers now; take it, then finish.
      if (vm_gone_ && channel_open_) {
        while (channel_open_ && stdout_.size() + stderr_.size() < AgentRelay::kPendingOutputBytes) read_channel();
        if (stdout_.size() + stderr_.size() >= AgentRelay::kPendingOutputBytes) continue;
        channel_open_ = false;
      }
    }
  }

 private:
  void ask_agent_to_stop() {
    stop_deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(AgentRelay::kStopGraceMs);
    if (channel_open_) to_agent_ += encode_frame(MessageType::stop, "");
  }

  // Until a stop's grace ends; forever otherwise.
  int stop_wait_ms() const {
    if (!stop_deadline_ || vm_gone_) return -1;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*stop_deadline_ - std::chrono::steady_clock::now());
    return static_cast<int>(std::max<std::int64_t>(left.count(), 0));
  }

  bool finished() const {
    const bool stdout_flushed = stdout_.empty() || !ends_.stdout_write;
    const bool stderr_flushed = stderr_.empty() || !ends_.stderr_write;
    return vm_gone_ && !channel_open_ && stdout_flushed && stderr_flushed;
  }

  void read_channel() {
    std::string bytes;
    if (!read_available(ends_.channel.get(), bytes, AgentRelay::kPendingOutputBytes) || (bytes.empty() && vm_gone_)) {
      channel_open_ = false;
    }
    decoder_.push(bytes);
    while (auto frame = decoder_.next()) accept(std::move(*frame));
    if (decoder_.broken()) broke(decoder_.error());
  }

  void accept(Frame frame) {
    if (outcome_.report) return broke("the agent sent a message after its exit report");
    switch (frame.type) {
      case MessageType::stdout_data:
        stdout_ += frame.payload;
        return;
      case MessageType::stderr_data:
        stderr_ += frame.payload;
        return;
      case MessageType::layer_entry:
      case MessageType::layer_data:
        return accept_layer(frame);
      case MessageType::exit:
        outcome_.report = decode_exit(frame.payload);
        if (!outcome_.report) return broke("malformed exit report");
        stop_vm_();
        return;
      default:
        return broke("unexpected message type " + std::to_string(static_cast<int>(frame.type)));
    }
  }

  void accept_layer(const Frame& frame) {
    if (!layer_) return broke("layer data in a run without an overlay workspace");
    std::optional<std::string> refused;
    if (frame.type == MessageType::layer_data) {
      refused = layer_->append(frame.payload);
    } else if (const auto entry = decode_layer_entry(frame.payload)) {
      refused = layer_->add(*entry);
    } else {
      refused = "malformed layer entry";
    }
    if (refused) broke(*refused);
  }

  void broke(const std::string& why) {
    if (outcome_.protocol_error.empty()) outcome_.protocol_error = why;
    outcome_.report.reset();
    channel_open_ = false;
    stop_vm_();
  }

  // Before the VM is gone, takes what is there; after, drains to the end.
  void read_console() {
    std::string& tail = outcome_.console_tail;
    while (ends_.console) {
      std::string bytes;
      if (!read_available(ends_.console.get(), bytes, 64 * 1024)) ends_.console.reset();
      tail += bytes;
      if (tail.size() > AgentRelay::kConsoleTailBytes) tail.erase(0, tail.size() - AgentRelay::kConsoleTailBytes);
      if (bytes.empty() || !vm_gone_) return;
    }
  }

  void read_stdin() {
    std::string bytes;
    if (!read_available(ends_.stdin_read.get(), bytes, kMaxStreamPayload)) {
      ends_.stdin_read.reset();
      to_agent_ += encode_frame(MessageType::stdin_eof, "");
      return;
    }
    if (!bytes.empty()) to_agent_ += encode_frame(MessageType::stdin_data, bytes);
  }

  RelayEnds& ends_;
  std::string& to_agent_;
  RelayOutcome& outcome_;
  const std::function<void()>& stop_vm_;
  FrameDecoder decoder_{Direction::to_host};
  std::optional<LayerWriter> layer_ = ends_.layer_folder ? std::optional<LayerWriter>(ends_.layer_folder.get()) : std::nullopt;
  std::string stdout_;
  std::string stderr_;
  bool channel_open_ = true;
  bool vm_gone_ = false;
  std::optional<std::chrono::steady_clock::time_point> stop_deadline_;
};

}  // namespace

AgentRelay::AgentRelay(RelayEnds ends, std::string launch_payload, std::function<void()> stop_vm)
    : ends_(std::move(ends)),
      to_agent_(encode_frame(MessageType::launch, launch_payload)),
      stop_vm_(std::move(stop_vm)),
      stop_(make_eventfd()),
      stop_requested_(make_eventfd()),
      done_(make_eventfd()),
      thread_([this] { run(); }) {}

void AgentRelay::request_stop() { signal_event(stop_requested_.get()); }

AgentRelay::~AgentRelay() {
  signal_event(stop_.get());
  thread_.join();
}

void AgentRelay::run() {
  RelayLoop(ends_, to_agent_, outcome_, stop_vm_).run(stop_.get(), stop_requested_.get());
  // The server sees EOF on the program's output only now, after every byte the agent sent.
  ends_.stdout_write.reset();
  ends_.stderr_write.reset();
  ends_.stdin_read.reset();
  ends_.channel.reset();
  ends_.layer_folder.reset();
  finished_.store(true);
  signal_event(done_.get());
}

}  // namespace airlock::sandbox::vm
