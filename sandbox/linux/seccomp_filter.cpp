#include "sandbox/linux/seccomp_filter.h"

#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "sandbox/backend.h"
#include "sandbox/unique_fd.h"

namespace airlock::sandbox::linux_backend {
namespace {

// Denied whatever their arguments.
constexpr const char* kDeniedCalls[] = {
    // Reading or steering other processes.
    "ptrace", "process_vm_readv", "process_vm_writev",
    // The kernel keyring is shared with the host: no namespace separates it.
    "keyctl", "add_key", "request_key",
    // Large kernel attack surfaces that ordinary programs do without (libuv and others fall back without
    // io_uring).
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    // Replacing the kernel or loading code into it.
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
    // The root filesystem is final once the sandbox is set up.
    "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount",
    "fspick", "mount_setattr",
    // No new or foreign namespaces, in particular no nested user namespace.
    "unshare", "setns",
};

constexpr std::uint64_t kNamespaceFlags[] = {CLONE_NEWNS,  CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
                                             CLONE_NEWUSER, CLONE_NEWPID,    CLONE_NEWNET};

// Pushing bytes into a terminal's input, and the Linux console's control requests.
constexpr std::uint64_t kDeniedIoctls[] = {TIOCSTI, TIOCLINUX};

// Every socket family but these is denied: AF_UNIX, AF_INET, AF_INET6.
constexpr std::uint64_t kDeniedFamiliesBelowInet6[] = {AF_UNSPEC, 3, 4, 5, 6, 7, 8, 9};
static_assert(AF_UNIX == 1 && AF_INET == 2 && AF_INET6 == 10, "the socket family ranges assume Linux's numbers");

// personality(0xffffffff) only reads the persona; every other value would change it.
constexpr std::uint64_t kPersonalityQuery = 0xffffffff;

using FilterContext = std::unique_ptr<void, decltype(&seccomp_release)>;

// libseccomp returns -errno.
void check(int result, const std::string& what) {
  if (result < 0) {
    throw SandboxUnavailable("building the system call filter: " + what + " failed: " + std::strerror(-result));
  }
}

int resolve(const char* name) {
  const int number = seccomp_syscall_resolve_name(name);
  if (number == __NR_SCMP_ERROR) {
    throw SandboxUnavailable(std::string("building the system call filter: libseccomp does not know ") + name +
                             ". Fix: install libseccomp 2.5 or newer.");
  }
  return number;
}

void deny(const FilterContext& filter, const char* name, const scmp_arg_cmp& condition) {
  check(seccomp_rule_add(filter.get(), SCMP_ACT_ERRNO(EPERM), resolve(name), 1, condition),
        std::string("adding the rule for ") + name);
}

void add_rules(const FilterContext& filter) {
  for (const char* name : kDeniedCalls) {
    check(seccomp_rule_add(filter.get(), SCMP_ACT_ERRNO(EPERM), resolve(name), 0),
          std::string("adding the rule for ") + name);
  }
  check(seccomp_rule_add(filter.get(), SCMP_ACT_ERRNO(ENOSYS), resolve("clone3"), 0), "adding the rule for clone3");
  for (const std::uint64_t flag : kNamespaceFlags) deny(filter, "clone", SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
  // The kernel reads an ioctl's request as 32 bits: the upper half must not hide a denied request.
  for (const std::uint64_t request : kDeniedIoctls) {
    deny(filter, "ioctl", SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffULL, request));
  }
  for (const std::uint64_t family : kDeniedFamiliesBelowInet6) deny(filter, "socket", SCMP_A0(SCMP_CMP_EQ, family));
  deny(filter, "socket", SCMP_A0(SCMP_CMP_GT, AF_INET6));
  deny(filter, "personality", SCMP_A0(SCMP_CMP_NE, kPersonalityQuery));
}

std::vector<sock_filter> read_program(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0 || info.st_size <= 0 || info.st_size % sizeof(sock_filter) != 0) {
    throw SandboxUnavailable("building the system call filter: libseccomp exported no program");
  }
  std::vector<sock_filter> program(static_cast<std::size_t>(info.st_size) / sizeof(sock_filter));
  if (::pread(fd, program.data(), static_cast<std::size_t>(info.st_size), 0) != info.st_size) {
    throw SandboxUnavailable(std::string("building the system call filter: reading the program back failed: ") +
                             std::strerror(errno));
  }
  return program;
}

std::vector<sock_filter> compile_filter() {
  FilterContext filter(seccomp_init(SCMP_ACT_ALLOW), &seccomp_release);
  if (!filter) throw SandboxUnavailable("building the system call filter: seccomp_init failed");
  // A system call through another ABI (int 0x80, x32 numbers) fails as a whole: the rules only speak x86-64.
  check(seccomp_attr_set(filter.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(EPERM)), "denying foreign ABIs");
  // The sandbox's init sets no_new_privs itself; the program is only handed over.
  check(seccomp_attr_set(filter.get(), SCMP_FLTATR_CTL_NNP, 0), "leaving no_new_privs to the sandbox");
  add_rules(filter);
  UniqueFd exported(::memfd_create("airlock-seccomp", MFD_CLOEXEC));
  if (!exported) {
    throw SandboxUnavailable(std::string("building the system call filter: memfd_create failed: ") +
                             std::strerror(errno));
  }
  check(seccomp_export_bpf(filter.get(), exported.get()), "seccomp_export_bpf");
  return read_program(exported.get());
}

}  // namespace

std::span<const sock_filter> seccomp_program() {
  static const std::vector<sock_filter> program = compile_filter();
  return program;
}

bool install_seccomp_filter(std::span<const sock_filter> program, ChildFailure& failure) {
  // The kernel only reads the program; sock_fprog just lacks const.
  sock_fprog installed{.len = static_cast<unsigned short>(program.size()),
                       .filter = const_cast<sock_filter*>(program.data())};
  if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &installed, 0, 0) != 0) {
    return fail(failure, errno, "prctl(PR_SET_SECCOMP)", "installing the system call filter");
  }
  return true;
}

}  // namespace airlock::sandbox::linux_backend
