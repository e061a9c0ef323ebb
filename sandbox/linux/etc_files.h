#pragma once

// The few /etc files the sandbox generates instead of binding the host's: they must name only the sandbox user,
// nobody and localhost, never the host's accounts or network.

#include <string>

#include "sandbox/linux/sandbox_identity.h"

namespace airlock::sandbox::linux_backend {

std::string sandbox_passwd(const SandboxIdentity& identity);
std::string sandbox_group(const SandboxIdentity& identity);
std::string sandbox_hosts();

}  // namespace airlock::sandbox::linux_backend
