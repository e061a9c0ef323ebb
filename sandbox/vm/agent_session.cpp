#include "sandbox/vm/agent_session.h"

#include <algorithm>
#include <utility>

namespace airlock::sandbox::vm {

AgentSession::AgentSession(std::string_view launch_payload, LayerSink* layer, std::function<void()> stop_vm)
    : to_agent_(encode_frame(MessageType::launch, launch_payload)), layer_(layer), stop_vm_(std::move(stop_vm)) {}

void AgentSession::stdin_bytes(std::string_view bytes) {
  if (!bytes.empty()) to_agent_ += encode_frame(MessageType::stdin_data, bytes);
}

void AgentSession::stdin_closed() { to_agent_ += encode_frame(MessageType::stdin_eof, ""); }

void AgentSession::request_stop() {
  if (stop_deadline_) return;
  stop_deadline_ = Clock::now() + kStopGrace;
  if (agent_open_) to_agent_ += encode_frame(MessageType::stop, "");
}

std::optional<AgentSession::Clock::duration> AgentSession::stop_grace_left() const {
  if (!stop_deadline_) return std::nullopt;
  return std::max(*stop_deadline_ - Clock::now(), Clock::duration::zero());
}

void AgentSession::check_stop_grace() {
  if (stop_deadline_ && Clock::now() >= *stop_deadline_) stop_vm_();
}

void AgentSession::agent_bytes(std::string_view bytes) {
  decoder_.push(bytes);
  while (auto frame = decoder_.next()) accept(std::move(*frame));
  if (decoder_.broken()) broke(decoder_.error());
}

void AgentSession::accept(Frame frame) {
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

void AgentSession::accept_layer(const Frame& frame) {
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

void AgentSession::broke(const std::string& why) {
  if (outcome_.protocol_error.empty()) outcome_.protocol_error = why;
  outcome_.report.reset();
  agent_open_ = false;
  stop_vm_();
}

}  // namespace airlock::sandbox::vm
