#include "sandbox/linux/overlay_handover.h"

#include <linux/magic.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "sandbox/backend.h"

namespace airlock::sandbox::linux_backend {
namespace {

// SCM_RIGHTS needs at least one byte of ordinary data next to it.
constexpr char kLayerByte = 'L';

union DescriptorMessage {
  char buffer[CMSG_SPACE(sizeof(int))];
  cmsghdr align;
};

[[noreturn]] void refuse(const std::string& what, int error) {
  throw SandboxUnavailable("receiving the overlay layer from the sandbox: " + what +
                           (error != 0 ? std::string(": ") + std::strerror(error) : std::string()));
}

}  // namespace

bool hand_over_layer(int socket, const UniqueFd& layer, ChildFailure& failure) {
  char byte = kLayerByte;
  iovec data{.iov_base = &byte, .iov_len = 1};
  DescriptorMessage control{};
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control.buffer;
  message.msg_controllen = sizeof control.buffer;
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int));
  const int fd = layer.get();
  std::memcpy(CMSG_DATA(header), &fd, sizeof fd);
  ssize_t sent;
  do {
    sent = ::sendmsg(socket, &message, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent != 1) return fail(failure, sent < 0 ? errno : EIO, "sendmsg", "handing the overlay layer to the server");
  return true;
}

UniqueFd receive_layer(int socket) {
  char byte = 0;
  iovec data{.iov_base = &byte, .iov_len = 1};
  DescriptorMessage control{};
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control.buffer;
  message.msg_controllen = sizeof control.buffer;
  ssize_t got;
  do {
    got = ::recvmsg(socket, &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  } while (got < 0 && errno == EINTR);
  if (got < 0) refuse("recvmsg failed", errno);
  const cmsghdr* header = CMSG_FIRSTHDR(&message);
  if (got != 1 || byte != kLayerByte || header == nullptr || header->cmsg_level != SOL_SOCKET ||
      header->cmsg_type != SCM_RIGHTS || header->cmsg_len != CMSG_LEN(sizeof(int)) ||
      (message.msg_flags & MSG_CTRUNC) != 0) {
    refuse("the init sent no layer", 0);
  }
  int fd = -1;
  std::memcpy(&fd, CMSG_DATA(header), sizeof fd);
  UniqueFd layer(fd);
  struct stat info {};
  struct statfs filesystem {};
  if (::fstat(layer.get(), &info) != 0) refuse("fstat failed", errno);
  if (::fstatfs(layer.get(), &filesystem) != 0) refuse("fstatfs failed", errno);
  if (!S_ISDIR(info.st_mode) || filesystem.f_type != TMPFS_MAGIC) refuse("what came is not a folder on a tmpfs", 0);
  return layer;
}

}  // namespace airlock::sandbox::linux_backend
