#include "sandbox/vm/guest/program_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <optional>
#include <string>

#include "sandbox/vm/guest/guest_error.h"
#include "sandbox/vm/guest/step_process.h"

namespace airlock::sandbox::vm::guest {
namespace {

// Beyond this much output not yet taken by the host, the agent stops reading the program's pipes, so a
// program that outruns the editor blocks instead of filling the guest's memory.
constexpr std::size_t kOutputHighWater = 256 * 1024;
constexpr std::size_t kInputHighWater = 1 << 20;

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

Pipe make_pipe(const char* what) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) fail_call("pipe2", std::string("creating the ") + what + " pipe");
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

std::optional<LimitKind> limit_behind(int signal, const rusage& usage, const Limits& limits, const RunCgroup& cgroup) {
  if (signal == SIGXCPU) return LimitKind::cpu;
  if (signal == SIGXFSZ) return LimitKind::disk;
  if (signal != SIGKILL) return std::nullopt;
  if (cgroup.memory_limit_hit()) return LimitKind::memory;
  // SIGKILL at the hard CPU limit, one second after an ignored SIGXCPU.
  if (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec >= limits.cpu_seconds) return LimitKind::cpu;
  return std::nullopt;
}

class Relay {
 public:
  Relay(AgentPort& port, const LaunchRequest& request, const RunCgroup& cgroup)
      : port_(port), request_(request), cgroup_(cgroup) {}

  ExitStatus run() {
    sigset_t child_signal;
    sigemptyset(&child_signal);
    sigaddset(&child_signal, SIGCHLD);
    if (::sigprocmask(SIG_BLOCK, &child_signal, nullptr) != 0) fail_call("sigprocmask", "blocking SIGCHLD");
    children_ = UniqueFd(::signalfd(-1, &child_signal, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!children_) fail_call("signalfd", "watching the steps");
    set_nonblocking(port_.fd());
    for (Pipe* pipe : {&stdout_, &stderr_}) set_nonblocking(pipe->read.get());
    set_nonblocking(stdin_.write.get());
    UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!null) fail_call("open", "opening /dev/null for the build steps");
    take_frames();

    std::optional<ExitStatus> final_status;
    for (std::size_t i = 0; i < request_.steps.size() && !final_status; ++i) {
      if (stopped_) {
        final_status = ExitStatus{.kind = ExitStatus::Kind::signaled, .signal = SIGKILL};
        break;
      }
      const bool program = i + 1 == request_.steps.size();
      StartedStep step = start_step(request_.steps[i], request_, cgroup_,
                                    {.input = program ? stdin_.read.get() : null.get(), .output = stdout_.write.get(),
                                     .error = stderr_.write.get()});
      if (program) {
        stdin_.read.reset();
        program_running_ = true;
      }
      step_pid_ = step.pid;
      step_status_.reset();
      while (!step_status_) pump();
      if (std::string failure = read_start_failure(step.failure.get()); !failure.empty()) {
        final_status = ExitStatus{.kind = ExitStatus::Kind::setup_failed, .message = failure};
      } else if (stopped_) {
        final_status = ExitStatus{.kind = ExitStatus::Kind::signaled, .signal = SIGKILL};
      } else if (WIFSIGNALED(*step_status_)) {
        const int signal = WTERMSIG(*step_status_);
        final_status = ExitStatus{.kind = ExitStatus::Kind::signaled, .signal = signal,
                                  .limit = limit_behind(signal, step_usage_, request_.limits, cgroup_)};
      } else if (program || WEXITSTATUS(*step_status_) != 0) {
        final_status = ExitStatus{.kind = ExitStatus::Kind::exited, .code = WEXITSTATUS(*step_status_)};
      }
    }
    finish_streams();
    return *final_status;
  }

 private:
  // Once the run is over: nothing may write to the pipes any more, so they reach EOF and every byte is sent.
  void finish_streams() {
    stdout_.write.reset();
    stderr_.write.reset();
    stdin_.write.reset();
    program_running_ = false;
    cgroup_.kill_all();
    while (stdout_.read || stderr_.read || !outgoing_.empty()) pump();
  }

  void pump() {
    std::array<pollfd, 5> fds{};
    const auto port_events = static_cast<short>((incoming_open_ && stdin_buffer_.size() < kInputHighWater ? POLLIN : 0) |
                                                (outgoing_.empty() ? 0 : POLLOUT));
    // A closed port keeps reporting POLLHUP: once nothing is wanted from it, leave it out.
    fds[0] = {.fd = port_events != 0 ? port_.fd() : -1, .events = port_events, .revents = 0};
    const bool room = outgoing_.size() < kOutputHighWater;
    fds[1] = {.fd = room ? stdout_.read.get() : -1, .events = POLLIN, .revents = 0};
    fds[2] = {.fd = room ? stderr_.read.get() : -1, .events = POLLIN, .revents = 0};
    const bool feed = program_running_ && stdin_.write && (!stdin_buffer_.empty() || stdin_eof_);
    fds[3] = {.fd = feed ? stdin_.write.get() : -1, .events = POLLOUT, .revents = 0};
    fds[4] = {.fd = children_.get(), .events = POLLIN, .revents = 0};
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) return;
      fail_call("poll", "relaying the program's stdio");
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) receive();
    if (fds[0].revents & POLLOUT) send();
    if (fds[1].revents) forward(stdout_.read, MessageType::stdout_data);
    if (fds[2].revents) forward(stderr_.read, MessageType::stderr_data);
    if (fds[3].revents) feed_stdin();
    if (fds[4].revents) reap();
  }

  void receive() {
    char buffer[64 * 1024];
    const ssize_t n = ::read(port_.fd(), buffer, sizeof buffer);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
      // The host is gone: nobody will read the output, and nothing more will come in.
      incoming_open_ = false;
      stdin_eof_ = true;
      return;
    }
    port_.decoder().push(std::string_view(buffer, static_cast<std::size_t>(n)));
    take_frames();
  }

  // Also right at the start: frames that arrived with the launch request wait in the decoder already.
  void take_frames() {
    FrameDecoder& decoder = port_.decoder();
    while (auto frame = decoder.next()) {
      if (frame->type == MessageType::stdin_data) stdin_buffer_ += frame->payload;
      else if (frame->type == MessageType::stdin_eof) stdin_eof_ = true;
      else if (frame->type == MessageType::stop) stop();
      else throw GuestError("guest agent: the host sent a second launch request");
    }
    if (decoder.broken()) throw GuestError("guest agent: the host broke the protocol: " + decoder.error());
  }

  void stop() {
    stopped_ = true;
    cgroup_.kill_all();
  }

  void send() {
    const ssize_t n = ::write(port_.fd(), outgoing_.data(), outgoing_.size());
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
      // The host stopped listening; drop the output so the run can end.
      outgoing_.clear();
      return;
    }
    outgoing_.erase(0, static_cast<std::size_t>(n));
  }

  void forward(UniqueFd& source, MessageType type) {
    char buffer[kMaxStreamPayload];
    const ssize_t n = ::read(source.get(), buffer, sizeof buffer);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
      source.reset();
      return;
    }
    outgoing_ += encode_frame(type, std::string_view(buffer, static_cast<std::size_t>(n)));
  }

  void feed_stdin() {
    if (stdin_buffer_.empty()) {
      stdin_.write.reset();  // EOF requested and everything written
      return;
    }
    const ssize_t n = ::write(stdin_.write.get(), stdin_buffer_.data(), stdin_buffer_.size());
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n < 0) {
      // EPIPE: the program closed its stdin; what it did not read is dropped.
      stdin_buffer_.clear();
      stdin_.write.reset();
      return;
    }
    stdin_buffer_.erase(0, static_cast<std::size_t>(n));
  }

  // The agent is PID 1: it reaps every orphan too, or their zombies would count against the process limit.
  void reap() {
    signalfd_siginfo info;
    while (::read(children_.get(), &info, sizeof info) > 0) {
    }
    while (true) {
      int status = 0;
      rusage usage{};
      const pid_t pid = ::wait4(-1, &status, WNOHANG | __WALL, &usage);
      if (pid <= 0) return;
      if (pid == step_pid_) {
        step_status_ = status;
        step_usage_ = usage;
      }
    }
  }

  AgentPort& port_;
  const LaunchRequest& request_;
  const RunCgroup& cgroup_;
  Pipe stdout_ = make_pipe("stdout");
  Pipe stderr_ = make_pipe("stderr");
  Pipe stdin_ = make_pipe("stdin");
  UniqueFd children_;
  std::string outgoing_;
  std::string stdin_buffer_;
  bool stdin_eof_ = false;
  bool stopped_ = false;
  bool incoming_open_ = true;
  bool program_running_ = false;
  pid_t step_pid_ = -1;
  std::optional<int> step_status_;
  rusage step_usage_{};
};

}  // namespace

ExitStatus run_program(AgentPort& port, const LaunchRequest& request, const RunCgroup& cgroup) {
  if (request.steps.empty()) throw GuestError("guest agent: the launch request has no steps");
  return Relay(port, request, cgroup).run();
}

}  // namespace airlock::sandbox::vm::guest
