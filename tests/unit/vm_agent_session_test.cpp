// The host's side of the agent protocol without any transport (agent_session.h): what it sends, what it makes of
// the agent's frames, and when it stops the VM. The relays of both platforms move bytes for it.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sandbox/vm/agent_session.h"

namespace airlock::sandbox::vm {
namespace {

std::vector<Frame> frames_to_guest(const std::string& bytes) {
  FrameDecoder decoder(Direction::to_guest);
  decoder.push(bytes);
  std::vector<Frame> frames;
  while (auto frame = decoder.next()) frames.push_back(std::move(*frame));
  REQUIRE_FALSE(decoder.broken());
  return frames;
}

struct RecordingLayer final : LayerSink {
  std::vector<LayerEntry> entries;
  std::string data;
  std::optional<std::string> add(const LayerEntry& entry) override {
    entries.push_back(entry);
    return std::nullopt;
  }
  std::optional<std::string> append(std::string_view bytes) override {
    data += bytes;
    return std::nullopt;
  }
};

TEST_CASE("vm agent session: the launch goes first, then stdin as frames and its end") {
  int stops = 0;
  AgentSession session("payload", nullptr, [&] { ++stops; });
  session.stdin_bytes("abc");
  session.stdin_bytes("");
  session.stdin_closed();
  const auto frames = frames_to_guest(session.to_agent());
  REQUIRE(frames.size() == 3);
  CHECK(frames[0].type == MessageType::launch);
  CHECK(frames[0].payload == "payload");
  CHECK(frames[1].type == MessageType::stdin_data);
  CHECK(frames[1].payload == "abc");
  CHECK(frames[2].type == MessageType::stdin_eof);
  CHECK(stops == 0);
}

TEST_CASE("vm agent session: output split across reads keeps its order; the report stops the VM") {
  int stops = 0;
  AgentSession session("", nullptr, [&] { ++stops; });
  const std::string exit_frame = encode_frame(MessageType::exit, encode_exit(ExitStatus{.code = 3}));
  const std::string all = encode_frame(MessageType::stdout_data, "one ") + encode_frame(MessageType::stderr_data, "e") +
                          encode_frame(MessageType::stdout_data, "two") + exit_frame;
  for (char byte : all) session.agent_bytes(std::string_view(&byte, 1));
  CHECK(session.stdout_pending() == "one two");
  CHECK(session.stderr_pending() == "e");
  REQUIRE(session.outcome().report);
  CHECK(session.outcome().report->code == 3);
  CHECK(stops == 1);
}

TEST_CASE("vm agent session: anything after the report, or not the guest's to send, is a protocol error") {
  int stops = 0;
  AgentSession session("", nullptr, [&] { ++stops; });
  session.agent_bytes(encode_frame(MessageType::exit, encode_exit(ExitStatus{})));
  session.agent_bytes(encode_frame(MessageType::stdout_data, "late"));
  CHECK_FALSE(session.outcome().report);
  CHECK(session.outcome().protocol_error == "the agent sent a message after its exit report");
  CHECK_FALSE(session.agent_open());

  AgentSession other("", nullptr, [] {});
  other.agent_bytes(encode_frame(MessageType::stdin_data, "x"));
  CHECK(other.outcome().protocol_error == "unexpected message type 2");
}

TEST_CASE("vm agent session: layer frames go to the layer, and are refused without one") {
  RecordingLayer layer;
  AgentSession overlay("", &layer, [] {});
  overlay.agent_bytes(encode_frame(MessageType::layer_entry, encode_layer_entry({.kind = LayerEntry::Kind::file, .path = "a.txt"})));
  overlay.agent_bytes(encode_frame(MessageType::layer_data, "bytes"));
  REQUIRE(layer.entries.size() == 1);
  CHECK(layer.entries[0].path == "a.txt");
  CHECK(layer.data == "bytes");
  CHECK(overlay.outcome().protocol_error.empty());

  AgentSession plain("", nullptr, [] {});
  plain.agent_bytes(encode_frame(MessageType::layer_data, "bytes"));
  CHECK(plain.outcome().protocol_error == "layer data in a run without an overlay workspace");
}

TEST_CASE("vm agent session: a stop is sent once and the VM is stopped only when its grace is over") {
  int stops = 0;
  AgentSession session("", nullptr, [&] { ++stops; });
  session.to_agent().clear();
  CHECK_FALSE(session.stop_grace_left());
  session.request_stop();
  session.request_stop();
  const auto frames = frames_to_guest(session.to_agent());
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].type == MessageType::stop);
  REQUIRE(session.stop_grace_left());
  CHECK(*session.stop_grace_left() <= AgentSession::kStopGrace);
  session.check_stop_grace();
  CHECK(stops == 0);
}

TEST_CASE("vm agent session: it stops wanting the agent's bytes while a megabyte of output waits") {
  AgentSession session("", nullptr, [] {});
  const std::string chunk(kMaxStreamPayload, 'x');
  while (session.wants_agent_bytes()) session.agent_bytes(encode_frame(MessageType::stdout_data, chunk));
  CHECK(session.pending_output() >= AgentSession::kPendingOutputBytes);
  session.stdout_pending().clear();
  CHECK(session.wants_agent_bytes());
  session.agent_closed();
  CHECK_FALSE(session.wants_agent_bytes());
}

}  // namespace
}  // namespace airlock::sandbox::vm
