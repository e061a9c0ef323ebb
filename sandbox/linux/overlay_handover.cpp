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

// One byte of data with room for one descriptor beside it, as both ends use it; nothing here allocates.
class LayerMessage {
 public:
  explicit LayerMessage(char byte) : byte_(byte) {
    data_ = {.iov_base = &byte_, .iov_len = 1};
    header_.msg_iov = &data_;
    header_.msg_iovlen = 1;
    header_.msg_control = control_;
    header_.msg_controllen = sizeof control_;
  }
  LayerMessage(const LayerMessage&) = delete;
  LayerMessage& operator=(const LayerMessage&) = delete;

  msghdr* header() { return &header_; }
  char byte() const { return byte_; }

 private:
  char byte_;
  iovec data_{};
  alignas(cmsghdr) char control_[CMSG_SPACE(sizeof(int))] = {};
  msghdr header_{};
};

[[noreturn]] void refuse(const std::string& what, int error) {
  throw SandboxUnavailable("receiving the overlay layer from the sandbox: " + what +
                           (error != 0 ? std::string(": ") + std::strerror(error) : std::string()));
}

}  // namespace

bool hand_over_layer(int socket, const UniqueFd& layer, ChildFailure& failure) {
  LayerMessage message(kLayerByte);
  cmsghdr* header = CMSG_FIRSTHDR(message.header());
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int));
  const int fd = layer.get();
  std::memcpy(CMSG_DATA(header), &fd, sizeof fd);
  ssize_t sent;
  do {
    sent = ::sendmsg(socket, message.header(), MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent != 1) return fail(failure, sent < 0 ? errno : EIO, "sendmsg", "handing the overlay layer to the server");
  return true;
}

UniqueFd receive_layer(int socket) {
  LayerMessage message('\0');
  ssize_t got;
  do {
    got = ::recvmsg(socket, message.header(), MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  } while (got < 0 && errno == EINTR);
  if (got < 0) refuse("recvmsg failed", errno);
  // Owned first, so a descriptor that came with a malformed message is closed too.
  UniqueFd layer;
  const cmsghdr* header = CMSG_FIRSTHDR(message.header());
  if (header != nullptr && header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS &&
      header->cmsg_len == CMSG_LEN(sizeof(int))) {
    int fd = -1;
    std::memcpy(&fd, CMSG_DATA(header), sizeof fd);
    layer.reset(fd);
  }
  if (got != 1 || message.byte() != kLayerByte || !layer || (message.header()->msg_flags & MSG_CTRUNC) != 0) {
    refuse("the init sent no layer", 0);
  }
  struct stat info {};
  struct statfs filesystem {};
  if (::fstat(layer.get(), &info) != 0) refuse("fstat failed", errno);
  if (::fstatfs(layer.get(), &filesystem) != 0) refuse("fstatfs failed", errno);
  if (!S_ISDIR(info.st_mode) || filesystem.f_type != TMPFS_MAGIC) refuse("what came is not a folder on a tmpfs", 0);
  return layer;
}

}  // namespace airlock::sandbox::linux_backend
