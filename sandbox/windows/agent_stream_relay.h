#pragma once

// The host half of the agent protocol on Windows: a thread running Boost.Asio over overlapped I/O moves bytes
// between the guest agent's stream and the program's stdio pipes, while the protocol itself (the same
// sandbox/vm/agent_session.h as on Linux) decides what they mean. The server reads and writes the pipes' other
// ends as it does a process-isolated run's.
// The relay ends once the agent's stream is closed (the agent hung up, the VM is gone, or the relay closed it after
// the exit report or a protocol error) and every output byte reached the pipes or the server stopped reading them.

#include <windows.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <variant>

#include "sandbox/vm/agent_session.h"
#include "sandbox/windows/unique_handle.h"
#include "sandbox/windows/unique_socket.h"

namespace airlock::sandbox::windows {

// A connected socket to the agent (an HvSocket), with the address family and protocol it was made with.
struct AgentSocket {
  UniqueSocket socket;
  int family = 0;
  int protocol = 0;
};

// A connected stream to the agent, opened for overlapped I/O: a named pipe or a socket.
using AgentChannel = std::variant<UniqueHandle, AgentSocket>;

// The program's stdio between the server and the relay. Made apart from the relay where the server needs its ends
// before the agent has connected (a Hyper-V run's start returns while its VM boots).
struct RelayPipes {
  // Throws WindowsError when a pipe cannot be made.
  static RelayPipes make();
  UniqueHandle stdin_server, stdout_server, stderr_server;  // the server's ends
  UniqueHandle stdin_relay, stdout_relay, stderr_relay;     // the relay's, overlapped
};

class AgentStreamRelay {
 public:
  // stop_vm runs on the relay's thread once the agent has reported or broken the protocol, and when a stop's grace
  // is over. Throws WindowsError when a pipe cannot be made.
  AgentStreamRelay(AgentChannel channel, std::string launch_payload, std::function<void()> stop_vm);
  // The same over pipes made before; take_stdin() and the others give the server's ends still in pipes.
  AgentStreamRelay(AgentChannel channel, std::string launch_payload, std::function<void()> stop_vm, RelayPipes pipes);
  // Closes everything at once and joins the thread.
  ~AgentStreamRelay();
  AgentStreamRelay(const AgentStreamRelay&) = delete;
  AgentStreamRelay& operator=(const AgentStreamRelay&) = delete;

  // The server's ends of the program's stdio: pipe handles, taken once.
  UniqueHandle take_stdin() { return std::move(stdin_server_); }
  UniqueHandle take_stdout() { return std::move(stdout_server_); }
  UniqueHandle take_stderr() { return std::move(stderr_server_); }

  // Any thread: asks the agent to kill the steps and send what it has, and stops the VM once it has reported or
  // after AgentSession::kStopGrace.
  void request_stop();
  // Any thread: nothing more is taken from the agent (the VM was stopped); the relay ends once the output is
  // delivered.
  void close_agent();

  // Signalled (manual reset) once the relay has finished; the program's pipes are closed then.
  HANDLE done_event() const { return done_.get(); }
  bool done() const { return finished_.load(); }
  // Valid once done().
  const vm::RelayOutcome& outcome() const { return outcome_; }

 private:
  class Loop;

  UniqueHandle stdin_server_;
  UniqueHandle stdout_server_;
  UniqueHandle stderr_server_;
  UniqueHandle done_;
  vm::RelayOutcome outcome_;
  std::atomic<bool> finished_{false};
  std::unique_ptr<Loop> loop_;
  std::thread thread_;
};

}  // namespace airlock::sandbox::windows
