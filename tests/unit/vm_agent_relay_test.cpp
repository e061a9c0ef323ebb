// The host half of the agent protocol, driven over a real socketpair by a test that plays the guest agent:
// what reaches the program's pipes, what the agent receives, and what ends the relay.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/agent_relay.h"

namespace airlock::sandbox::vm {
namespace {

struct FakeVm {
  UniqueFd agent;           // the guest's end of the channel
  UniqueFd console;         // the guest's end of the console
  UniqueFd alive;           // closing it tells the relay the VM is gone
  UniqueFd stdin_write;     // the server's ends
  UniqueFd stdout_read;
  UniqueFd stderr_read;
  std::atomic<int> stops{0};
  std::unique_ptr<AgentRelay> relay;

  FakeVm() {
    int channel[2], console_pair[2], gone[2], in[2], out[2], err[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) == 0);
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, console_pair) == 0);
    REQUIRE(::pipe2(gone, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(err, O_CLOEXEC) == 0);
    agent.reset(channel[1]);
    console.reset(console_pair[1]);
    alive.reset(gone[1]);
    stdin_write.reset(in[1]);
    stdout_read.reset(out[0]);
    stderr_read.reset(err[0]);
    relay = std::make_unique<AgentRelay>(
        RelayEnds{.channel = UniqueFd(channel[0]), .console = UniqueFd(console_pair[0]), .transport_end = UniqueFd(gone[0]),
                  .stdin_read = UniqueFd(in[0]), .stdout_write = UniqueFd(out[1]), .stderr_write = UniqueFd(err[1])},
        "launch-payload", [this] { ++stops; });
  }

  void send(MessageType type, std::string_view payload) { send_raw(encode_frame(type, payload)); }
  void send_raw(const std::string& bytes) { REQUIRE(::write(agent.get(), bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size())); }

  // What the agent has received so far, as frames, waiting up to a second for `count` of them.
  std::vector<Frame> receive(std::size_t count) {
    std::vector<Frame> frames;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (frames.size() < count && std::chrono::steady_clock::now() < deadline) {
      pollfd readable{.fd = agent.get(), .events = POLLIN, .revents = 0};
      if (::poll(&readable, 1, 100) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(agent.get(), buffer, sizeof buffer);
      if (n <= 0) break;
      guest_decoder.push(std::string_view(buffer, static_cast<std::size_t>(n)));
      while (auto frame = guest_decoder.next()) frames.push_back(std::move(*frame));
    }
    return frames;
  }

  bool wait_done() {
    pollfd done{.fd = relay->done_fd(), .events = POLLIN, .revents = 0};
    return ::poll(&done, 1, 5000) == 1 && relay->done();
  }

  FrameDecoder guest_decoder{Direction::to_guest};
};

std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
  return text;
}

TEST_CASE("vm relay: launch first, then stdin and its EOF; output and the exit report come back") {
  FakeVm vm;
  auto launch = vm.receive(1);
  REQUIRE(launch.size() == 1);
  CHECK(launch[0].type == MessageType::launch);
  CHECK(launch[0].payload == "launch-payload");

  REQUIRE(::write(vm.stdin_write.get(), "typed\n", 6) == 6);
  vm.stdin_write.reset();
  auto input = vm.receive(2);
  REQUIRE(input.size() == 2);
  CHECK(input[0].type == MessageType::stdin_data);
  CHECK(input[0].payload == "typed\n");
  CHECK(input[1].type == MessageType::stdin_eof);

  vm.send(MessageType::stdout_data, "out ");
  vm.send(MessageType::stderr_data, "err");
  vm.send(MessageType::stdout_data, "more");
  vm.send(MessageType::exit, encode_exit(ExitStatus{.kind = ExitStatus::Kind::exited, .code = 5}));
  REQUIRE(::write(vm.console.get(), "console line\n", 13) == 13);
  // The report asks for the VM to be stopped; the relay ends once it is gone.
  for (int i = 0; i < 100 && vm.stops == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(vm.stops == 1);
  CHECK_FALSE(vm.relay->done());
  vm.alive.reset();
  REQUIRE(vm.wait_done());
  CHECK(read_all(vm.stdout_read.get()) == "out more");
  CHECK(read_all(vm.stderr_read.get()) == "err");
  REQUIRE(vm.relay->outcome().report);
  CHECK(vm.relay->outcome().report->code == 5);
  CHECK(vm.relay->outcome().console_tail == "console line\n");
}

TEST_CASE("vm relay: a guest that breaks the protocol is stopped and reported") {
  FakeVm vm;
  vm.send(MessageType::stdout_data, "fine");
  vm.send(MessageType::launch, "not the guest's to send");
  for (int i = 0; i < 100 && vm.stops == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(vm.stops >= 1);
  vm.alive.reset();
  REQUIRE(vm.wait_done());
  CHECK(read_all(vm.stdout_read.get()) == "fine");
  CHECK_FALSE(vm.relay->outcome().report);
  CHECK(vm.relay->outcome().protocol_error.find("unexpected message type 1") != std::string::npos);
}

TEST_CASE("vm relay: a malformed exit report is a protocol error, not a status") {
  FakeVm vm;
  vm.send(MessageType::exit, "short");
  for (int i = 0; i < 100 && vm.stops == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  vm.alive.reset();
  REQUIRE(vm.wait_done());
  CHECK_FALSE(vm.relay->outcome().report);
  CHECK(vm.relay->outcome().protocol_error == "malformed exit report");
}

TEST_CASE("vm relay: output written just before the VM died still reaches the pipes") {
  FakeVm vm;
  const std::string big(300 * 1024, 'x');
  for (std::size_t offset = 0; offset < big.size(); offset += kMaxStreamPayload)
    vm.send(MessageType::stdout_data, std::string_view(big).substr(offset, kMaxStreamPayload));
  vm.agent.reset();
  vm.alive.reset();
  std::string out;
  std::thread reader([&] { out = read_all(vm.stdout_read.get()); });
  REQUIRE(vm.wait_done());
  reader.join();
  CHECK(out == big);
  CHECK_FALSE(vm.relay->outcome().report);
  CHECK(vm.relay->outcome().protocol_error.empty());
}

TEST_CASE("vm relay: destroying it while the VM still runs returns at once") {
  FakeVm vm;
  vm.send(MessageType::stdout_data, "partial");
  const auto start = std::chrono::steady_clock::now();
  vm.relay.reset();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
}

}  // namespace
}  // namespace airlock::sandbox::vm
