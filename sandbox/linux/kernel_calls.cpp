#include "sandbox/linux/kernel_calls.h"

#include <linux/sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace airlock::sandbox::linux_backend {

pid_t clone3_fork(std::uint64_t flags, int* pidfd, int exit_signal) {
  clone_args args{};
  args.flags = flags;
  args.pidfd = reinterpret_cast<std::uint64_t>(pidfd);
  args.exit_signal = static_cast<std::uint64_t>(exit_signal);
  return static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof args));
}

int pidfd_kill(int pidfd, int signal) {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

int openat2_path(int dirfd, const char* path, std::uint64_t flags, std::uint64_t resolve) {
  open_how how{};
  how.flags = flags;
  how.resolve = resolve;
  return static_cast<int>(::syscall(SYS_openat2, dirfd, path, &how, sizeof how));
}

}  // namespace airlock::sandbox::linux_backend
