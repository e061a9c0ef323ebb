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
  RelayLoop(RelayEnds& ends, AgentSession& session) : ends_(ends), session_(session) {}

  void run(int stop_fd, int stop_requested_fd) {
    for (int fd : {ends_.channel.get(), ends_.console.get(), ends_.stdin_read.get(), ends_.stdout_write.get(),
                   ends_.stderr_write.get()})
      set_nonblocking(fd);
    while (!finished()) {
      std::array<pollfd, 8> fds{};
      const short channel_events = static_cast<short>((session_.wants_agent_bytes() ? POLLIN : 0) |
                                                      (session_.to_agent().empty() ? 0 : POLLOUT));
      fds[0] = {channel_events != 0 ? ends_.channel.get() : -1, channel_events, 0};
      fds[1] = {ends_.console.get(), POLLIN, 0};
      fds[2] = {session_.wants_stdin() ? ends_.stdin_read.get() : -1, POLLIN, 0};
      fds[3] = {session_.stdout_pending().empty() ? -1 : ends_.stdout_write.get(), POLLOUT, 0};
      fds[4] = {session_.stderr_pending().empty() ? -1 : ends_.stderr_write.get(), POLLOUT, 0};
      fds[5] = {vm_gone_ ? -1 : ends_.transport_end.get(), POLLIN, 0};
      fds[6] = {stop_fd, POLLIN, 0};
      fds[7] = {session_.stop_requested() ? -1 : stop_requested_fd, POLLIN, 0};
      if (::poll(fds.data(), fds.size(), stop_wait_ms()) < 0) {
        if (errno == EINTR) continue;
        session_.outcome().protocol_error = std::string("relay poll failed: ") + std::strerror(errno);
        return;
      }
      if (fds[6].revents) return;
      if (fds[7].revents) session_.request_stop();
      session_.check_stop_grace();
      if (fds[5].revents) vm_gone_ = true;
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) read_channel();
      if (fds[0].revents & POLLOUT && !write_available(ends_.channel, session_.to_agent())) session_.agent_closed();
      if (fds[1].revents || vm_gone_) read_console();
      if (fds[2].revents) read_stdin();
      if (fds[3].revents) write_available(ends_.stdout_write, session_.stdout_pending());
      if (fds[4].revents) write_available(ends_.stderr_write, session_.stderr_pending());
      // The VM is gone: what it wrote is all in the socket buffers now; take it, then finish.
      // (The pipes' room may stop it: the loop then writes them and comes back for the rest.)
      if (vm_gone_)
        while (session_.wants_agent_bytes()) read_channel();
    }
  }

 private:
  // Until a stop's grace ends; forever otherwise.
  int stop_wait_ms() const {
    const auto left = session_.stop_grace_left();
    if (!left || vm_gone_) return -1;
    return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(*left).count());
  }

  bool finished() const {
    const bool stdout_flushed = session_.stdout_pending().empty() || !ends_.stdout_write;
    const bool stderr_flushed = session_.stderr_pending().empty() || !ends_.stderr_write;
    return vm_gone_ && !session_.agent_open() && stdout_flushed && stderr_flushed;
  }

  void read_channel() {
    std::string bytes;
    if (!read_available(ends_.channel.get(), bytes, AgentSession::kPendingOutputBytes) || (bytes.empty() && vm_gone_))
      session_.agent_closed();
    session_.agent_bytes(bytes);
  }

  // Before the VM is gone, takes what is there; after, drains to the end.
  void read_console() {
    std::string& tail = session_.outcome().console_tail;
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
      session_.stdin_closed();
      return;
    }
    session_.stdin_bytes(bytes);
  }

  RelayEnds& ends_;
  AgentSession& session_;
  bool vm_gone_ = false;
};

}  // namespace

AgentRelay::AgentRelay(RelayEnds ends, std::string launch_payload, std::function<void()> stop_vm)
    : ends_(std::move(ends)),
      launch_payload_(std::move(launch_payload)),
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
  {
    std::optional<LayerWriter> layer;
    if (ends_.layer_folder) layer.emplace(ends_.layer_folder.get());
    AgentSession session(launch_payload_, layer ? &*layer : nullptr, stop_vm_);
    RelayLoop(ends_, session).run(stop_.get(), stop_requested_.get());
    outcome_ = std::move(session.outcome());
  }
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
