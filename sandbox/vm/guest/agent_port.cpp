#include "sandbox/vm/guest/agent_port.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sandbox/vm/guest/guest_error.h"
#include "sandbox/vm/guest/host_vsock.h"

namespace airlock::sandbox::vm::guest {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> find_port(const std::string& name) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/sys/class/virtio-ports", error)) {
    std::ifstream name_file(entry.path() / "name");
    std::string port_name;
    if (std::getline(name_file, port_name) && port_name == name) return "/dev/" + entry.path().filename().string();
  }
  return std::nullopt;
}

}  // namespace

AgentPort AgentPort::open_named(const std::string& name) {
  // The driver probes the port asynchronously after its module loads; devtmpfs adds the node after that.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    if (auto path = find_port(name)) {
      UniqueFd fd(::open(path->c_str(), O_RDWR | O_CLOEXEC));
      if (fd) return AgentPort(std::move(fd));
      if (errno != ENOENT || std::chrono::steady_clock::now() > deadline) fail_call("open", "opening the agent port " + *path);
    } else if (std::chrono::steady_clock::now() > deadline) {
      throw GuestError("guest agent: no virtio-serial port named " + name + " appeared within 10 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

AgentPort AgentPort::connect_vsock(std::uint32_t port) {
  return AgentPort(connect_host_vsock(port, "agent service"));
}

void AgentPort::send(MessageType type, std::string_view payload) {
  const std::string frame = encode_frame(type, payload);
  std::size_t done = 0;
  while (done < frame.size()) {
    const ssize_t n = ::write(fd_.get(), frame.data() + done, frame.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EAGAIN) {
      pollfd writable{.fd = fd_.get(), .events = POLLOUT, .revents = 0};
      ::poll(&writable, 1, -1);
    } else if (n < 0 && errno != EINTR) {
      fail_call("write", "sending to the host");
    }
  }
}

std::optional<Frame> AgentPort::receive() {
  char buffer[64 * 1024];
  while (true) {
    if (auto frame = decoder_.next()) return frame;
    if (decoder_.broken()) throw GuestError("guest agent: the host broke the protocol: " + decoder_.error());
    const ssize_t n = ::read(fd_.get(), buffer, sizeof buffer);
    if (n == 0) return std::nullopt;
    if (n < 0 && errno == EAGAIN) {
      pollfd readable{.fd = fd_.get(), .events = POLLIN, .revents = 0};
      ::poll(&readable, 1, -1);
      continue;
    }
    if (n < 0 && errno != EINTR) fail_call("read", "receiving from the host");
    if (n > 0) decoder_.push(std::string_view(buffer, static_cast<std::size_t>(n)));
  }
}

}  // namespace airlock::sandbox::vm::guest
