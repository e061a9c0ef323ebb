#include "sandbox/vm/guest/share_mount.h"

#include <linux/vm_sockets.h>
#include <sys/mount.h>
#include <sys/socket.h>

#include "sandbox/unique_fd.h"
#include "sandbox/vm/guest/guest_error.h"

namespace airlock::sandbox::vm::guest {
namespace {

// The Plan9 server of the host (CID 2). Its buffers are sized to its messages, as hcsshim's guest does, so a
// message never waits for room on either side.
UniqueFd connect_plan9_server(const std::string& doing) {
  UniqueFd fd(::socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) fail_call("socket", doing + " (a vsock socket for the host's Plan9 server)");
  for (const int option : {SO_RCVBUF, SO_SNDBUF}) {
    const int bytes = kPlan9VsockMessageBytes;
    if (::setsockopt(fd.get(), SOL_SOCKET, option, &bytes, sizeof bytes) != 0)
      fail_call("setsockopt", doing + " (sizing the Plan9 connection's buffers)");
  }
  sockaddr_vm server{};
  server.svm_family = AF_VSOCK;
  server.svm_cid = VMADDR_CID_HOST;
  server.svm_port = kPlan9VsockPort;
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0)
    fail_call("connect", doing + " (the host's Plan9 server on vsock port " + std::to_string(kPlan9VsockPort) + ")");
  return fd;
}

}  // namespace

void mount_share(const GuestChannelOption& channel, const GuestShare& share, const std::string& target,
                 unsigned long flags, ShareCaching caching, const std::string& doing) {
  UniqueFd connection;
  if (channel.kind == GuestChannelOption::Kind::vsock) connection = connect_plan9_server(doing);
  const Plan9Mount mount = plan9_mount(channel, share, caching, connection.get());
  if (::mount(mount.source.c_str(), target.c_str(), "9p", flags, mount.options.c_str()) != 0) fail_call("mount", doing);
}

}  // namespace airlock::sandbox::vm::guest
