#include "sandbox/linux/privileges.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux/command_line.h"

namespace airlock::sandbox::linux_backend {

bool drop_all_capabilities(ChildFailure& failure) {
  // The bounding set has no query for its size: drop upward until the kernel says the capability does not exist.
  for (int capability = 0;; ++capability) {
    if (::prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) == 0) continue;
    if (errno == EINVAL && capability > CAP_SETPCAP) break;
    return fail(failure, errno, "prctl(PR_CAPBSET_DROP)", "dropping capability %d from the bounding set",
                capability);
  }
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
    return fail(failure, errno, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)", "clearing ambient capabilities");
  }
  __user_cap_header_struct header{.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capset, &header, none) != 0) {
    return fail(failure, errno, "capset", "clearing effective, permitted and inheritable capabilities");
  }
  return true;
}

bool forbid_new_privileges(ChildFailure& failure) {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return fail(failure, errno, "prctl(PR_SET_NO_NEW_PRIVS)", "forbidding new privileges");
  }
  return true;
}

bool hide_from_program(ChildFailure& failure) {
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return fail(failure, errno, "prctl(PR_SET_DUMPABLE)", "making the sandbox init non-dumpable");
  }
  if (!replace_own_command_line("airlock-sandbox-init")) {
    return fail(failure, EIO, "replacing the command line", "hiding the server's command line from the program");
  }
  return true;
}

}  // namespace airlock::sandbox::linux_backend
