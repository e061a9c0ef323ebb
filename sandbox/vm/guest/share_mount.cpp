#include "sandbox/vm/guest/share_mount.h"

#include <sys/mount.h>
#include <sys/socket.h>

#include "sandbox/unique_fd.h"
#include "sandbox/vm/guest/guest_error.h"
#include "sandbox/vm/guest/host_vsock.h"

namespace airlock::sandbox::vm::guest {
namespace {

// A connection to Hyper-V's Plan9 server, its buffers sized to the server's messages as hcsshim's guest does, so a
// message never waits for room.
UniqueFd connect_plan9_server(const std::string& doing) {
  UniqueFd fd = connect_host_vsock(kPlan9VsockPort, "Plan9 server");
  for (const int option : {SO_RCVBUF, SO_SNDBUF}) {
    const int bytes = kPlan9VsockMessageBytes;
    if (::setsockopt(fd.get(), SOL_SOCKET, option, &bytes, sizeof bytes) != 0)
      fail_call("setsockopt", doing + " (sizing the Plan9 connection's buffers)");
  }
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
