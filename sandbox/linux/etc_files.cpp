#include "sandbox/linux/etc_files.h"

#include "sandbox/linux/hostname.h"
#include "sandbox/policy.h"

namespace airlock::sandbox::linux_backend {

std::string sandbox_passwd(const SandboxIdentity& identity) {
  const std::string home = kSandboxHome;
  if (identity.uid == kNobodyUid) {
    return "nobody:x:65534:" + std::to_string(identity.gid) + ":nobody:" + home + ":/bin/sh\n";
  }
  return "sandbox:x:" + std::to_string(identity.uid) + ":" + std::to_string(identity.gid) + ":Airlock sandbox:" +
         home + ":/bin/sh\n" + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
}

std::string sandbox_group(const SandboxIdentity& identity) {
  if (identity.gid == kNobodyGid) return "nogroup:x:65534:\n";
  return "sandbox:x:" + std::to_string(identity.gid) + ":\nnogroup:x:65534:\n";
}

std::string sandbox_hosts() {
  return std::string("127.0.0.1\tlocalhost ") + kSandboxHostname + "\n::1\tlocalhost ip6-localhost ip6-loopback\n";
}

}  // namespace airlock::sandbox::linux_backend
