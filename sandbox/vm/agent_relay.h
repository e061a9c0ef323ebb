#pragma once

// The host half of the agent protocol over POSIX descriptors: a thread that moves bytes between the agent's stream,
// the program's stdio pipes and the guest's console with poll(), while the protocol itself (agent_session.h)
// decides what they mean; it keeps the tail of the console for error messages.
// The transport is two descriptors and a third that becomes readable once the far end is gone for good
// (QEMU's pidfd), so the relay never depends on seeing EOF.

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "sandbox/backend.h"
#include "sandbox/unique_fd.h"
#include "sandbox/vm/agent_session.h"

namespace airlock::sandbox::vm {

struct RelayEnds {
  UniqueFd channel;        // stream to the agent
  UniqueFd console;        // the guest's console (diagnostics only)
  UniqueFd transport_end;  // readable once the VM is gone for good; only polled
  UniqueFd stdin_read;     // the server writes the program's stdin into the other end
  UniqueFd stdout_write;
  UniqueFd stderr_write;
  UniqueFd layer_folder;   // an overlay run's layer folder (layer_folder.h), where the agent's layer lands
};

class AgentRelay {
 public:
  // Bytes kept of the console's end, for error messages.
  static constexpr std::size_t kConsoleTailBytes = 4096;

  // `stop_vm` runs on the relay's thread once the agent has reported or broken the protocol: nothing more
  // is needed from the VM.
  AgentRelay(RelayEnds ends, std::string launch_payload, std::function<void()> stop_vm);
  // Stops the thread (whatever it was doing) and joins it.
  ~AgentRelay();
  AgentRelay(const AgentRelay&) = delete;
  AgentRelay& operator=(const AgentRelay&) = delete;

  // Any thread: asks the agent to kill the steps and send what it has (an overlay run's layer, the report), and
  // stops the VM once it has, or after AgentSession::kStopGrace.
  void request_stop();

  // Readable once the relay has finished: the VM is gone and every output byte reached the pipes (or the
  // server stopped reading them), which are closed then.
  int done_fd() const { return done_.get(); }
  bool done() const { return finished_.load(); }
  // Valid once done().
  const RelayOutcome& outcome() const { return outcome_; }

 private:
  void run();

  RelayEnds ends_;
  std::string launch_payload_;
  std::function<void()> stop_vm_;
  UniqueFd stop_;
  UniqueFd stop_requested_;
  UniqueFd done_;
  RelayOutcome outcome_;
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

}  // namespace airlock::sandbox::vm
