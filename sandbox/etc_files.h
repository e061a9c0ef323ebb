#pragma once

// The few /etc files every sandbox gets generated instead of the host's: they must name only the sandbox user,
// nobody and localhost, never the host's accounts or network. Header-only and platform-neutral: the Linux backends
// write them, and both VM hosts send them to the guest, Hyper-V's from Windows, where there is no /etc to copy.

#include <cstdint>
#include <string>

#include "sandbox/policy.h"

namespace airlock::sandbox {

inline constexpr std::uint32_t kNobodyId = 65534;
// The sandbox's fixed hostname, so nothing about the host's name leaks in.
inline constexpr const char* kSandboxHostname = "airlock";

inline std::string sandbox_passwd(std::uint32_t uid, std::uint32_t gid) {
  const std::string home = kSandboxHome;
  if (uid == kNobodyId) return "nobody:x:65534:" + std::to_string(gid) + ":nobody:" + home + ":/bin/sh\n";
  return "sandbox:x:" + std::to_string(uid) + ":" + std::to_string(gid) + ":Airlock sandbox:" + home + ":/bin/sh\n" +
         "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
}

inline std::string sandbox_group(std::uint32_t gid) {
  if (gid == kNobodyId) return "nogroup:x:65534:\n";
  return "sandbox:x:" + std::to_string(gid) + ":\nnogroup:x:65534:\n";
}

inline std::string sandbox_hosts() {
  return std::string("127.0.0.1\tlocalhost ") + kSandboxHostname + "\n::1\tlocalhost ip6-localhost ip6-loopback\n";
}

}  // namespace airlock::sandbox
