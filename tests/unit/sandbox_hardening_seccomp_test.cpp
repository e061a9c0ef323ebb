// The system call filter, seen from a program in the sandbox: every denied call fails with EPERM (clone3 with
// ENOSYS), calls it does not deny still work, and ordinary interpreters and compilers run unchanged. Run as root
// and as an unprivileged user (setpriv --reuid=65534 --regid=65534 --clear-groups).

#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "sandbox/linux/seccomp_filter.h"
#include "sandbox_test_support.h"

namespace airlock::sandbox::testing {
namespace {

// Tries each call with arguments that, without the filter, give a result other than EPERM wherever the kernel
// lets the sandbox's user tell (a success, EFAULT, EBADF, ENOTTY, ...), and prints "<call> <errno name>", or
// "<call> allowed" when the call succeeded.
constexpr const char* kSystemCallProbe = R"src(#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char* name, long result) {
  printf("%s %s\n", name, result == -1 ? strerrorname_np(errno) : "allowed");
}

/* A call that forks when it is allowed: the child leaves at once. */
static long forking(long result) {
  if (result == 0) _exit(0);
  if (result > 0) waitpid((pid_t)result, NULL, __WALL);
  return result;
}

int main(void) {
  char byte = 0;
  struct iovec local = {&byte, 1}, remote = {&byte, 1};
  struct clone_args args = {.exit_signal = SIGCHLD};
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) return 1;
  report("ptrace", syscall(SYS_ptrace, PTRACE_PEEKDATA, getpid(), NULL, NULL));
  report("process_vm_readv", syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0));
  report("process_vm_writev", syscall(SYS_process_vm_writev, getpid(), &local, 1, &remote, 1, 0));
  report("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 1));
  report("add_key", syscall(SYS_add_key, "user", "airlock", "x", 1, KEY_SPEC_PROCESS_KEYRING));
  report("request_key", syscall(SYS_request_key, "user", "airlock-missing", NULL, 0));
  report("bpf", syscall(SYS_bpf, -1, NULL, 0));
  report("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
  report("userfaultfd", syscall(SYS_userfaultfd, -1));
  report("io_uring_setup", syscall(SYS_io_uring_setup, 0, NULL));
  report("io_uring_enter", syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0));
  report("io_uring_register", syscall(SYS_io_uring_register, -1, 0, NULL, 0));
  report("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
  report("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, NULL, 0));
  report("init_module", syscall(SYS_init_module, NULL, 0, ""));
  report("finit_module", syscall(SYS_finit_module, -1, "", 0));
  report("delete_module", syscall(SYS_delete_module, "airlock", 0));
  report("mount", syscall(SYS_mount, NULL, NULL, NULL, 0, NULL));
  report("umount2", syscall(SYS_umount2, NULL, 0));
  report("pivot_root", syscall(SYS_pivot_root, NULL, NULL));
  report("chroot", syscall(SYS_chroot, NULL));
  report("move_mount", syscall(SYS_move_mount, -1, "", -1, "", 0));
  report("open_tree", syscall(SYS_open_tree, AT_FDCWD, "/", 0));
  report("fsopen", syscall(SYS_fsopen, "tmpfs", 0));
  report("fsconfig", syscall(SYS_fsconfig, -1, 0, NULL, NULL, 0));
  report("fsmount", syscall(SYS_fsmount, -1, 0, 0));
  report("fspick", syscall(SYS_fspick, AT_FDCWD, "/", 0));
  report("mount_setattr", syscall(SYS_mount_setattr, AT_FDCWD, "/", 0, NULL, 0));
  report("unshare", syscall(SYS_unshare, CLONE_NEWUSER));
  report("setns", syscall(SYS_setns, -1, 0));
  report("clone-newuser", forking(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)));
  report("clone-newnet", forking(syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0)));
  report("clone3", forking(syscall(SYS_clone3, &args, sizeof args)));
  report("ioctl-tiocsti", syscall(SYS_ioctl, pipe_ends[0], TIOCSTI, &byte));
  report("ioctl-tiocsti-high-bits", syscall(SYS_ioctl, pipe_ends[0], TIOCSTI | (1UL << 32), &byte));
  report("ioctl-tioclinux", syscall(SYS_ioctl, pipe_ends[0], TIOCLINUX, &byte));
  report("personality-linux32", syscall(SYS_personality, PER_LINUX32));
  report("personality-high-bits", syscall(SYS_personality, (1UL << 32) | ADDR_NO_RANDOMIZE));
  report("socket-netlink", syscall(SYS_socket, AF_NETLINK, SOCK_RAW, 0));
  report("socket-vsock", syscall(SYS_socket, AF_VSOCK, SOCK_STREAM, 0));
  report("socket-alg", syscall(SYS_socket, AF_ALG, SOCK_SEQPACKET, 0));
  report("x32-getpid", syscall(__X32_SYSCALL_BIT | SYS_getpid));
  long i386_result;
  __asm__ volatile("int $0x80" : "=a"(i386_result) : "a"(20) : "memory");  /* i386 getpid */
  printf("i386-getpid %s\n", i386_result == -EPERM ? "EPERM" : "allowed");

  /* Not denied: the same calls with harmless arguments. */
  report("clone-plain", forking(syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0)));
  report("personality-query", syscall(SYS_personality, 0xffffffffUL));
  report("ioctl-fionread", syscall(SYS_ioctl, pipe_ends[0], FIONREAD, &(int){0}));
  report("socket-unix", syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0));
  report("socket-inet", syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0));
  report("socket-inet6", syscall(SYS_socket, AF_INET6, SOCK_DGRAM, 0));
  return 0;
}
)src";

std::map<std::string, std::string> verdicts_of(const std::string& output) {
  std::map<std::string, std::string> verdicts;
  std::istringstream lines(output);
  for (std::string call, verdict; lines >> call >> verdict;) verdicts[call] = verdict;
  return verdicts;
}

RunOutput compile_and_run(const TempWorkspace& workspace, const std::string& source, const std::string& compiler,
                          const std::string& extension, const std::string& flags = "") {
  const std::string binary = std::string(kSandboxBuildDir) + "/program";
  auto spec = shell_spec(workspace, compiler + " " + flags + " -o " + binary + " /airlock/program" + extension +
                                        " && " + binary);
  spec.files = {{.path = "/airlock/program" + extension, .content = source}};
  return run_to_end(spec);
}

TEST_CASE("sandbox: every system call the filter denies fails with EPERM, clone3 with ENOSYS") {
  TempWorkspace workspace;
  const auto result = compile_and_run(workspace, kSystemCallProbe, "gcc", ".c", "-Wall -Werror");
  REQUIRE_MESSAGE(result.status.kind == ExitStatus::Kind::exited, result.status.message << result.err);
  REQUIRE_MESSAGE(result.status.code == 0, result.err);
  const auto verdicts = verdicts_of(result.out);
  std::map<std::string, std::string> expected = {
      {"clone3", "ENOSYS"},       {"clone-plain", "allowed"}, {"personality-query", "allowed"},
      {"ioctl-fionread", "allowed"}, {"socket-unix", "allowed"}, {"socket-inet", "allowed"},
      {"socket-inet6", "allowed"},
  };
  for (const char* call : {"ptrace", "process_vm_readv", "process_vm_writev", "keyctl", "add_key", "request_key",
                           "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
                           "io_uring_register", "kexec_load", "kexec_file_load", "init_module", "finit_module",
                           "delete_module", "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree",
                           "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "unshare", "setns",
                           "clone-newuser", "clone-newnet", "ioctl-tiocsti", "ioctl-tiocsti-high-bits",
                           "ioctl-tioclinux", "personality-linux32", "personality-high-bits", "socket-netlink",
                           "socket-vsock", "socket-alg", "x32-getpid", "i386-getpid"}) {
    expected[call] = "EPERM";
  }
  CHECK(verdicts == expected);
}

TEST_CASE("sandbox: python, node and compilers work under the filter") {
  TempWorkspace workspace;
  SUBCASE("python: threads, subprocesses, multiprocessing, sockets") {
    auto spec = spec_in(workspace, {{"python3", "/airlock/program.py"}});
    spec.files = {{.path = "/airlock/program.py", .content = R"src(
import multiprocessing, os, socket, subprocess, threading
done = []
thread = threading.Thread(target=lambda: done.append("thread"))
thread.start(); thread.join()
print(done[0])
print(subprocess.run(["echo", "subprocess"], capture_output=True, text=True).stdout.strip())
with multiprocessing.Pool(2) as pool: print(sum(pool.map(abs, [-1, -2])))
server = socket.socket(socket.AF_INET6); server.bind(("::1", 0)); server.listen()
client = socket.create_connection(server.getsockname()[:2]); connection, _ = server.accept()
client.sendall(b"loopback"); print(connection.recv(8).decode())
left, right = socket.socketpair(); left.sendall(b"unix"); print(right.recv(4).decode())
)src"}};
    const auto result = run_to_end(spec);
    CHECK_MESSAGE(result.status.code == 0, result.err);
    CHECK(result.out == "thread\nsubprocess\n3\nloopback\nunix\n");
  }
  SUBCASE("node: worker threads, child processes, asynchronous files") {
    auto spec = spec_in(workspace, {{"node", "/airlock/program.js"}});
    spec.files = {{.path = "/airlock/program.js", .content = R"src(
const {execFileSync} = require("child_process");
const {Worker} = require("worker_threads");
const fs = require("fs");
fs.writeFileSync("/tmp/note", "files");
new Worker("require('worker_threads').parentPort.postMessage('worker')", {eval: true})
  .on("message", async (message) => {
    console.log(message);
    console.log(execFileSync("echo", ["child"]).toString().trim());
    console.log(await fs.promises.readFile("/tmp/note", "utf8"));
  });
)src"}};
    const auto result = run_to_end(spec);
    CHECK_MESSAGE(result.status.code == 0, result.err);
    CHECK(result.out == "worker\nchild\nfiles\n");
  }
  SUBCASE("g++: a threaded program") {
    const auto result = compile_and_run(workspace, R"src(
#include <iostream>
#include <thread>
int main() {
  int answer = 0;
  std::thread worker([&] { answer = 42; });
  worker.join();
  std::cout << answer << "\n";
}
)src",
                                        "g++", ".cpp", "-pthread");
    CHECK_MESSAGE(result.status.code == 0, result.err);
    CHECK(result.out == "42\n");
  }
}

TEST_CASE("seccomp filter: compiled once per process") {
  CHECK(linux_backend::seccomp_program().data() == linux_backend::seccomp_program().data());
  CHECK_FALSE(linux_backend::seccomp_program().empty());
}

}  // namespace
}  // namespace airlock::sandbox::testing
