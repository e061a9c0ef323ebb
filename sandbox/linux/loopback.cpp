#include "sandbox/linux/loopback.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sandbox/unique_fd.h"

namespace airlock::sandbox::linux_backend {

bool bring_up_loopback(ChildFailure& failure) {
  UniqueFd socket_fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!socket_fd) return fail(failure, errno, "socket", "bringing up lo");
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(socket_fd.get(), SIOCGIFFLAGS, &request) != 0) {
    return fail(failure, errno, "ioctl(SIOCGIFFLAGS)", "bringing up lo");
  }
  request.ifr_flags |= IFF_UP;
  if (::ioctl(socket_fd.get(), SIOCSIFFLAGS, &request) != 0) {
    return fail(failure, errno, "ioctl(SIOCSIFFLAGS)", "bringing up lo");
  }
  return true;
}

}  // namespace airlock::sandbox::linux_backend
