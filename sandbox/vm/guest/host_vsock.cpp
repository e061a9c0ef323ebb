#include "sandbox/vm/guest/host_vsock.h"

#include <linux/vm_sockets.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "sandbox/vm/guest/guest_error.h"

namespace airlock::sandbox::vm::guest {

UniqueFd connect_host_vsock(std::uint32_t port, const std::string& service) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  sockaddr_vm host{};
  host.svm_family = AF_VSOCK;
  host.svm_port = port;
  host.svm_cid = VMADDR_CID_HOST;
  const std::string named = "the host's " + service + " on vsock port " + std::to_string(port);
  while (true) {
    UniqueFd fd(::socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0));
    // Until the transport's module has loaded, the address family itself is missing.
    const bool transport_missing = !fd && errno == EAFNOSUPPORT;
    if (!fd && !transport_missing) fail_call("socket", "making a vsock socket for " + named);
    if (fd && ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&host), sizeof host) == 0) return fd;
    const bool not_yet = transport_missing || errno == ECONNREFUSED || errno == ENODEV || errno == ETIMEDOUT || errno == EINTR;
    if (!not_yet) fail_call("connect", "connecting to " + named);
    if (std::chrono::steady_clock::now() > deadline) throw GuestError("guest agent: " + named + " did not answer within 10 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace airlock::sandbox::vm::guest
