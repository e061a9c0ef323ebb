#include "sandbox/linux/hostname.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace airlock::sandbox::linux_backend {

bool set_sandbox_hostname(ChildFailure& failure) {
  if (::sethostname(kSandboxHostname, std::strlen(kSandboxHostname)) != 0) {
    return fail(failure, errno, "sethostname", "setting the hostname to %s", kSandboxHostname);
  }
  return true;
}

}  // namespace airlock::sandbox::linux_backend
