#pragma once

// What the host decides in its conversation with the guest agent, with no I/O of its own, so that every transport
// (descriptors and poll() on Linux, overlapped handles and sockets on Windows) shares one protocol logic: the
// launch request goes out first, the program's stdin becomes frames, the agent's frames become the program's
// stdout and stderr bytes or an overlay run's layer, its exit report is validated, a stop asks the agent to end the
// steps, and anything the protocol does not allow ends the conversation with the reason.
// The transport moves bytes in and out of the buffers here and tells the session when its ends close.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sandbox/backend.h"
#include "sandbox/vm/agent_protocol.h"

namespace airlock::sandbox::vm {

// Where an overlay run's layer frames land (layer_writer.h on Linux). Each returns why a frame is refused (the
// guest broke the protocol), or nullopt.
class LayerSink {
 public:
  virtual ~LayerSink() = default;
  virtual std::optional<std::string> add(const LayerEntry& entry) = 0;
  virtual std::optional<std::string> append(std::string_view bytes) = 0;
};

struct RelayOutcome {
  std::optional<ExitStatus> report;
  std::string protocol_error;  // set when the guest broke the protocol
  std::string console_tail;    // where the transport has a console
};

class AgentSession {
 public:
  using Clock = std::chrono::steady_clock;
  // Output taken from the agent but not yet written to the program's pipes; beyond it the transport stops reading
  // the agent.
  static constexpr std::size_t kPendingOutputBytes = 1 << 20;
  // How long a stopped run's agent has to send its layer and report before the VM is stopped regardless.
  static constexpr std::chrono::milliseconds kStopGrace{1000};

  // layer: an overlay run's layer, null for other runs (a layer frame is then a protocol error). stop_vm runs once
  // the agent has reported or broken the protocol (nothing more is needed from the VM), and when a stop's grace is
  // over.
  AgentSession(std::string_view launch_payload, LayerSink* layer, std::function<void()> stop_vm);

  // Host -> agent. The transport sends from the front of to_agent() and erases what it sent.
  std::string& to_agent() { return to_agent_; }
  // Whether more of the program's stdin may be taken now (one frame's worth waits at most).
  bool wants_stdin() const { return to_agent_.size() < kMaxStreamPayload; }
  void stdin_bytes(std::string_view bytes);
  void stdin_closed();
  // Asks the agent to kill the steps and send what it has; stop_vm follows once the grace is over.
  void request_stop();
  bool stop_requested() const { return stop_deadline_.has_value(); }
  // Until the stop's grace ends; nullopt when no stop was asked for.
  std::optional<Clock::duration> stop_grace_left() const;
  // Call when the grace may be over (stop_grace_left() reached zero): stops the VM.
  void check_stop_grace();

  // Agent -> host.
  bool agent_open() const { return agent_open_; }
  // Whether the transport should read more from the agent: it is open and the program's pipes keep up.
  bool wants_agent_bytes() const { return agent_open_ && pending_output() < kPendingOutputBytes; }
  void agent_bytes(std::string_view bytes);
  // The agent's stream ended (EOF, an error, or a write it refused): nothing more is read from it or sent to it.
  void agent_closed() { agent_open_ = false; }
  // The program's output, for the transport to write to its pipes (erasing what it wrote).
  std::string& stdout_pending() { return stdout_; }
  std::string& stderr_pending() { return stderr_; }
  const std::string& stdout_pending() const { return stdout_; }
  const std::string& stderr_pending() const { return stderr_; }
  std::size_t pending_output() const { return stdout_.size() + stderr_.size(); }

  RelayOutcome& outcome() { return outcome_; }
  const RelayOutcome& outcome() const { return outcome_; }

 private:
  void accept(Frame frame);
  void accept_layer(const Frame& frame);
  void broke(const std::string& why);

  std::string to_agent_;
  LayerSink* layer_;
  std::function<void()> stop_vm_;
  FrameDecoder decoder_{Direction::to_host};
  std::string stdout_;
  std::string stderr_;
  bool agent_open_ = true;
  std::optional<Clock::time_point> stop_deadline_;
  RelayOutcome outcome_;
};

}  // namespace airlock::sandbox::vm
