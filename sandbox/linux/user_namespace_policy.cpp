#include "sandbox/linux/user_namespace_policy.h"

#include <cerrno>
#include <fstream>
#include <optional>

namespace airlock::sandbox::linux_backend {
namespace {

std::optional<long> read_sysctl(const char* path) {
  std::ifstream file(path);
  long value = 0;
  if (file >> value) return value;
  return std::nullopt;
}

}  // namespace

std::string user_namespace_fix_hint(int error) {
  if (read_sysctl("/proc/sys/user/max_user_namespaces") == 0L) {
    return " Fix: user namespaces are disabled (user.max_user_namespaces=0); run "
           "`sysctl -w user.max_user_namespaces=15000` (persist it in /etc/sysctl.d/).";
  }
  if (read_sysctl("/proc/sys/kernel/unprivileged_userns_clone") == 0L) {
    return " Fix: unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0); run "
           "`sysctl -w kernel.unprivileged_userns_clone=1` (persist it in /etc/sysctl.d/).";
  }
  if (read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1L) {
    return " Fix: AppArmor restricts unprivileged user namespaces "
           "(kernel.apparmor_restrict_unprivileged_userns=1); install an AppArmor profile for airlock that "
           "allows `userns,`, or run `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`.";
  }
  if (error == ENOSPC || error == EUSERS) {
    return " Fix: the user namespace limit is reached (user.max_user_namespaces, or the nesting depth of 32); "
           "raise it with `sysctl -w user.max_user_namespaces=15000`.";
  }
  if (error == EPERM || error == EACCES) {
    return " Fix: something on this host forbids user namespaces: a container's seccomp profile (run the "
           "container with a profile that allows clone/unshare of user namespaces), an LSM policy (AppArmor, "
           "SELinux), or a sysctl such as user.max_user_namespaces=0.";
  }
  return "";
}

}  // namespace airlock::sandbox::linux_backend
