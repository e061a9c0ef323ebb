// The host half of the agent protocol on Windows (agent_stream_relay.h) over a real overlapped named pipe, against
// a peer that plays the guest agent with the protocol's own codec: what the agent receives, what reaches the
// program's pipes, and what ends the relay.

#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <vector>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/windows/agent_stream_relay.h"
#include "sandbox/windows/windows_error.h"

using namespace airlock::sandbox;
using namespace airlock::sandbox::vm;
using namespace airlock::sandbox::windows;

namespace {

constexpr DWORD kWaitMs = 10000;

// One overlapped transfer on a handle the relay made overlapped (the server's ends), waited for to its end.
// Returns the bytes moved; 0 at the end of the stream.
DWORD transfer(HANDLE handle, char* data, DWORD size, bool write) {
  OVERLAPPED overlapped{};
  UniqueHandle event(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
  overlapped.hEvent = event.get();
  DWORD moved = 0;
  const BOOL done = write ? ::WriteFile(handle, data, size, &moved, &overlapped)
                          : ::ReadFile(handle, data, size, &moved, &overlapped);
  if (!done && ::GetLastError() != ERROR_IO_PENDING) return 0;
  if (!::GetOverlappedResult(handle, &overlapped, &moved, TRUE)) return 0;
  return moved;
}

std::string read_some(const UniqueHandle& pipe) {
  char buffer[4096];
  return std::string(buffer, transfer(pipe.get(), buffer, sizeof buffer, false));
}

std::string read_to_end(const UniqueHandle& pipe) {
  std::string text;
  for (std::string bytes = read_some(pipe); !bytes.empty(); bytes = read_some(pipe)) text += bytes;
  return text;
}

// The guest agent's side of the conversation, on the synchronous client end of the channel's pipe.
class AgentPeer {
 public:
  AgentPeer() {
    static std::atomic<unsigned> counter{0};
    const std::wstring name = L"\\\\.\\pipe\\airlock-test-agent-" + std::to_wstring(::GetCurrentProcessId()) + L"-" +
                              std::to_wstring(++counter);
    host_end_ = UniqueHandle(::CreateNamedPipeW(
        name.c_str(), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
        PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS, 1, 64 * 1024, 64 * 1024, 0,
        nullptr));
    REQUIRE(host_end_.valid());
    agent_end_ = UniqueHandle(::CreateFileW(name.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
                                            FILE_ATTRIBUTE_NORMAL, nullptr));
    REQUIRE(agent_end_.valid());
  }

  UniqueHandle host_end() { return std::move(host_end_); }

  void send(MessageType type, std::string_view payload) { send_raw(encode_frame(type, payload)); }
  void send_raw(const std::string& bytes) {
    DWORD written = 0;
    REQUIRE(::WriteFile(agent_end_.get(), bytes.data(), static_cast<DWORD>(bytes.size()), &written, nullptr));
    REQUIRE(written == bytes.size());
  }

  // The next count frames from the host (fewer if the host closes the stream first).
  std::vector<Frame> receive(std::size_t count) {
    std::vector<Frame> frames;
    while (frames.size() < count) {
      if (auto frame = decoder_.next()) {
        frames.push_back(std::move(*frame));
        continue;
      }
      REQUIRE_FALSE(decoder_.broken());
      char buffer[4096];
      DWORD n = 0;
      if (!::ReadFile(agent_end_.get(), buffer, sizeof buffer, &n, nullptr) || n == 0) break;
      decoder_.push(std::string_view(buffer, n));
    }
    return frames;
  }

  void vanish() { agent_end_.reset(); }

 private:
  UniqueHandle host_end_;
  UniqueHandle agent_end_;
  FrameDecoder decoder_{Direction::to_guest};
};

struct RelayUnderTest {
  AgentPeer agent;
  std::atomic<int> vm_stops{0};
  AgentStreamRelay relay;
  UniqueHandle stdin_pipe = relay.take_stdin();
  UniqueHandle stdout_pipe = relay.take_stdout();
  UniqueHandle stderr_pipe = relay.take_stderr();

  explicit RelayUnderTest(const LaunchRequest& launch)
      : relay(agent.host_end(), encode_launch(launch), [this] { ++vm_stops; }) {}

  bool finished() { return ::WaitForSingleObject(relay.done_event(), kWaitMs) == WAIT_OBJECT_0 && relay.done(); }

  // Waits for the end, which must come without an exit report; the protocol error it saw, "" when none.
  std::string ended_without_report() {
    REQUIRE(finished());
    CHECK_FALSE(relay.outcome().report);
    return relay.outcome().protocol_error;
  }
};

LaunchRequest sample_launch() {
  LaunchRequest launch;
  launch.steps = {{"python3", "-u", "/workspace/snippet.py"}};
  launch.cwd = "/workspace";
  launch.env = {{"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"}};
  launch.workspace = {.tag = "workspace", .path = "/workspace", .writable = false};
  launch.limits.memory_bytes = 256ll << 20;
  return launch;
}

}  // namespace

TEST_CASE("windows vm relay: launch first, stdin forwarded, output streamed in order, the exit status reported") {
  const LaunchRequest launch = sample_launch();
  RelayUnderTest run(launch);

  const auto first = run.agent.receive(1);
  REQUIRE(first.size() == 1);
  CHECK(first[0].type == MessageType::launch);
  const auto received = decode_launch(first[0].payload);
  REQUIRE(received);
  CHECK(received->steps == launch.steps);
  CHECK(received->cwd == launch.cwd);
  CHECK(received->env == launch.env);
  CHECK(received->workspace == launch.workspace);
  CHECK(received->limits.memory_bytes == launch.limits.memory_bytes);

  std::string typed = "typed\n";
  REQUIRE(transfer(run.stdin_pipe.get(), typed.data(), static_cast<DWORD>(typed.size()), true) == typed.size());
  run.stdin_pipe.reset();
  const auto input = run.agent.receive(2);
  REQUIRE(input.size() == 2);
  CHECK(input[0].type == MessageType::stdin_data);
  CHECK(input[0].payload == "typed\n");
  CHECK(input[1].type == MessageType::stdin_eof);

  // Streamed: the first output reaches the server while the program still runs.
  run.agent.send(MessageType::stdout_data, "first");
  CHECK(read_some(run.stdout_pipe) == "first");
  run.agent.send(MessageType::stderr_data, "warning");
  run.agent.send(MessageType::stdout_data, " second");
  run.agent.send(MessageType::stdout_data, " third");
  CHECK_FALSE(run.relay.done());
  run.agent.send(MessageType::exit, encode_exit(ExitStatus{.kind = ExitStatus::Kind::exited, .code = 7}));

  REQUIRE(run.finished());
  CHECK(run.vm_stops == 1);
  CHECK(read_to_end(run.stdout_pipe) == " second third");
  CHECK(read_to_end(run.stderr_pipe) == "warning");
  REQUIRE(run.relay.outcome().report);
  CHECK(run.relay.outcome().report->kind == ExitStatus::Kind::exited);
  CHECK(run.relay.outcome().report->code == 7);
  CHECK(run.relay.outcome().protocol_error.empty());
}

TEST_CASE("windows vm relay: a stop request reaches the agent, and its report ends the run") {
  RelayUnderTest run(sample_launch());
  REQUIRE(run.agent.receive(1).size() == 1);
  run.relay.request_stop();
  const auto stop = run.agent.receive(1);
  REQUIRE(stop.size() == 1);
  CHECK(stop[0].type == MessageType::stop);
  run.agent.send(MessageType::exit, encode_exit(ExitStatus{.kind = ExitStatus::Kind::signaled, .signal = 9}));
  REQUIRE(run.finished());
  REQUIRE(run.relay.outcome().report);
  CHECK(run.relay.outcome().report->kind == ExitStatus::Kind::signaled);
  CHECK(run.relay.outcome().report->signal == 9);
  CHECK(run.vm_stops == 1);
}

TEST_CASE("windows vm relay: an agent that ignores a stop has its VM stopped after the grace") {
  RelayUnderTest run(sample_launch());
  REQUIRE(run.agent.receive(1).size() == 1);
  run.relay.request_stop();
  REQUIRE(run.agent.receive(1).size() == 1);
  CHECK(run.ended_without_report().empty());
  CHECK(run.vm_stops >= 1);
}

TEST_CASE("windows vm relay: a guest that breaks the protocol is stopped and reported") {
  RelayUnderTest run(sample_launch());
  run.agent.send(MessageType::stdout_data, "fine");
  run.agent.send(MessageType::launch, "not the guest's to send");
  CHECK(run.ended_without_report().find("unexpected message type 1") != std::string::npos);
  CHECK(run.vm_stops >= 1);
  CHECK(read_to_end(run.stdout_pipe) == "fine");
}

TEST_CASE("windows vm relay: a frame longer than its bound is a protocol error") {
  RelayUnderTest run(sample_launch());
  std::string header = encode_frame(MessageType::stdout_data, "");
  const std::uint32_t length = kMaxStreamPayload + 1;
  for (int i = 0; i < 4; ++i) header[1 + i] = static_cast<char>((length >> (8 * i)) & 0xff);
  run.agent.send_raw(header);
  CHECK(run.ended_without_report().find("more than its limit") != std::string::npos);
  CHECK(run.vm_stops >= 1);
}

TEST_CASE("windows vm relay: an agent that vanishes ends the run without a report") {
  RelayUnderTest run(sample_launch());
  REQUIRE(run.agent.receive(1).size() == 1);
  run.agent.send(MessageType::stdout_data, "partial");
  run.agent.vanish();
  CHECK(run.ended_without_report().empty());
  CHECK(read_to_end(run.stdout_pipe) == "partial");
  CHECK(run.vm_stops == 0);
}

TEST_CASE("windows vm relay: closing the agent (the VM was terminated) ends the run once its output is delivered") {
  RelayUnderTest run(sample_launch());
  REQUIRE(run.agent.receive(1).size() == 1);
  run.agent.send(MessageType::stdout_data, "before the kill");
  CHECK(read_some(run.stdout_pipe) == "before the kill");
  run.relay.close_agent();
  CHECK(run.ended_without_report().empty());
  CHECK(run.vm_stops == 0);
  CHECK(run.agent.receive(1).empty());
}

TEST_CASE("windows vm relay: destroying it while the agent still runs closes the agent's stream") {
  auto run = std::make_unique<RelayUnderTest>(sample_launch());
  REQUIRE(run->agent.receive(1).size() == 1);
  run->agent.send(MessageType::stdout_data, "partial");
  AgentPeer agent = std::move(run->agent);
  run.reset();
  // The test's end of stdin closes just before the relay goes, so its end of input may still reach the agent; then
  // the stream must end.
  const auto frames = agent.receive(2);
  CHECK(frames.size() <= 1);
  for (const Frame& frame : frames) CHECK(frame.type == MessageType::stdin_eof);
}
