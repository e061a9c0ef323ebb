#include "sandbox/vm/layer_folder.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "sandbox/backend.h"
#include "sandbox/vm/own_user_namespace.h"

namespace airlock::sandbox::vm {
namespace {

// As many files and folders as the process backend's layer allows.
constexpr const char* kLayerInodes = "65536";

struct Failure {
  int error = 0;
  char call[48] = {};
};

void send_result(int socket, const Failure& failure, int folder) {
  msghdr message{};
  iovec data{.iov_base = const_cast<Failure*>(&failure), .iov_len = sizeof failure};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (folder >= 0) {
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(header), &folder, sizeof folder);
  }
  const ssize_t ignored = ::sendmsg(socket, &message, MSG_NOSIGNAL);
  (void)ignored;
}

// In the child, between clone and exit: system calls only.
[[noreturn]] void make_and_send(int socket, const char* size_option, int go) {
  Failure failure;
  auto fail = [&](const char* call) {
    failure.error = errno;
    std::strncpy(failure.call, call, sizeof failure.call - 1);
    send_result(socket, failure, -1);
    _exit(1);
  };
  // The tmpfs belongs to the new user namespace: only ids mapped there may own its files, and the server's are
  // the ones that will.
  if (!wait_for_go(go)) fail("waiting for the id maps");
  const int context = static_cast<int>(::syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC));
  if (context < 0) fail("fsopen");
  if (::syscall(SYS_fsconfig, context, FSCONFIG_SET_STRING, "size", size_option, 0) != 0) fail("fsconfig size");
  if (::syscall(SYS_fsconfig, context, FSCONFIG_SET_STRING, "nr_inodes", kLayerInodes, 0) != 0) fail("fsconfig nr_inodes");
  if (::syscall(SYS_fsconfig, context, FSCONFIG_SET_STRING, "mode", "0700", 0) != 0) fail("fsconfig mode");
  if (::syscall(SYS_fsconfig, context, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) fail("fsconfig create");
  const int mount = static_cast<int>(::syscall(SYS_fsmount, context, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC));
  if (mount < 0) fail("fsmount");
  const int folder = ::openat(mount, ".", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (folder < 0) fail("openat");
  send_result(socket, failure, folder);
  _exit(0);
}

}  // namespace

UniqueFd make_layer_folder(std::int64_t size_bytes) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, pair) != 0)
    throw SandboxUnavailable(std::string("creating the overlay layer: socketpair failed: ") + std::strerror(errno));
  UniqueFd parent_end(pair[0]);
  UniqueFd child_end(pair[1]);
  const std::string size_option = std::to_string(std::max<std::int64_t>(size_bytes, 4096));
  ChildInOwnNamespaces child = clone_into_own_namespaces(CLONE_NEWNS, "creating the overlay layer");
  if (child.pid == 0) make_and_send(child_end.get(), size_option.c_str(), child.go.get());
  child_end.reset();
  let_child_go(child, "creating the overlay layer");

  Failure failure;
  msghdr message{};
  iovec data{.iov_base = &failure, .iov_len = sizeof failure};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  ssize_t got;
  do {
    got = ::recvmsg(parent_end.get(), &message, MSG_CMSG_CLOEXEC);
  } while (got < 0 && errno == EINTR);
  siginfo_t ended{};
  while (::waitid(P_PIDFD, static_cast<id_t>(child.pidfd.get()), &ended, WEXITED) < 0 && errno == EINTR) {
  }
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  if (got == static_cast<ssize_t>(sizeof failure) && failure.error == 0 && header != nullptr && header->cmsg_type == SCM_RIGHTS) {
    int folder;
    std::memcpy(&folder, CMSG_DATA(header), sizeof folder);
    return UniqueFd(folder);
  }
  if (got == static_cast<ssize_t>(sizeof failure) && failure.error != 0) {
    failure.call[sizeof failure.call - 1] = '\0';
    throw SandboxUnavailable(std::string("creating the overlay layer: ") + failure.call + " failed: " + std::strerror(failure.error));
  }
  throw SandboxUnavailable("creating the overlay layer: the helper ended without an answer");
}

}  // namespace airlock::sandbox::vm
