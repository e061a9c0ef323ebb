#pragma once

// Sole owner of a Winsock socket; closes it exactly once.

#include <winsock2.h>

#include "sandbox/unique_resource.h"

namespace airlock::sandbox::windows {

struct SocketTraits {
  using Value = SOCKET;
  static SOCKET empty() noexcept { return INVALID_SOCKET; }
  static bool is_empty(SOCKET socket) noexcept { return socket == INVALID_SOCKET; }
  static void close(SOCKET socket) noexcept { ::closesocket(socket); }
};

using UniqueSocket = UniqueResource<SocketTraits>;

}  // namespace airlock::sandbox::windows
