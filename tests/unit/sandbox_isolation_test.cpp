// What code inside a Linux sandbox can see and do: run as root and as an unprivileged user
// (setpriv --reuid=65534 --regid=65534 --clear-groups).

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "sandbox_test_support.h"

namespace airlock::sandbox::testing {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

bool exited_with(const ExitStatus& status, int code) {
  return status.kind == ExitStatus::Kind::exited && status.code == code;
}

TEST_CASE("sandbox: output, exit code and stdin reach the caller") {
  TempWorkspace workspace;
  auto result = run_to_end(shell_spec(workspace, "cat; echo to-out; echo to-err >&2; exit 7"), "from-stdin\n");
  CHECK(result.out == "from-stdin\nto-out\n");
  CHECK(result.err == "to-err\n");
  CHECK(exited_with(result.status, 7));
  CHECK_FALSE(result.status.limit.has_value());
}

TEST_CASE("sandbox: a program killed by a signal reports the signal") {
  TempWorkspace workspace;
  auto result = run_to_end(shell_spec(workspace, "kill -TERM $$"));
  CHECK(result.status.kind == ExitStatus::Kind::signaled);
  CHECK(result.status.signal == SIGTERM);
}

TEST_CASE("sandbox: every namespace is new") {
  TempWorkspace workspace;
  const char* kinds[] = {"user", "mnt", "pid", "net", "ipc", "uts", "cgroup"};
  std::string script;
  for (const char* kind : kinds) script += std::string("readlink /proc/self/ns/") + kind + "; ";
  auto result = run_to_end(shell_spec(workspace, script));
  REQUIRE(exited_with(result.status, 0));
  const auto inside = lines_of(result.out);
  REQUIRE(inside.size() == std::size(kinds));
  for (std::size_t i = 0; i < std::size(kinds); ++i) {
    const auto outside = std::filesystem::read_symlink(std::string("/proc/self/ns/") + kinds[i]).string();
    CHECK_MESSAGE(inside[i] != outside, kinds[i]);
  }
}

TEST_CASE("sandbox: the program runs as an unprivileged uid without capabilities") {
  TempWorkspace workspace;
  auto result = run_to_end(shell_spec(workspace, "id -u; grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):' /proc/self/status"));
  REQUIRE(exited_with(result.status, 0));
  const auto lines = lines_of(result.out);
  REQUIRE(lines.size() == 7);
  CHECK(lines[0] == std::to_string(workspace.sandbox_uid()));
  CHECK(lines[0] != "0");
  for (std::size_t i = 1; i < 6; ++i) CHECK_MESSAGE(lines[i].ends_with("0000000000000000"), lines[i]);
  CHECK(lines[6] == "NoNewPrivs:\t1");
}

TEST_CASE("sandbox: a root-owned 0600 file in the workspace stays unreadable") {
  if (::geteuid() != 0) {
    MESSAGE("needs root to create a root-owned file; the unprivileged run has no root-owned files to protect");
    return;
  }
  TempWorkspace workspace;
  const auto secret = workspace.path() / "secret";
  workspace.write("secret", "root only\n");
  REQUIRE(::chown(secret.c_str(), 0, 0) == 0);
  REQUIRE(::chmod(secret.c_str(), 0600) == 0);
  auto result = run_to_end(shell_spec(workspace, "cat secret"));
  CHECK(result.out.empty());
  CHECK(result.err.find("Permission denied") != std::string::npos);
  CHECK_FALSE(exited_with(result.status, 0));
}

TEST_CASE("sandbox: the environment is exactly the spec's") {
  ::setenv("AIRLOCK_TEST_SECRET", "must-not-leak", 1);
  TempWorkspace workspace;
  auto spec = spec_in(workspace, {{"/usr/bin/env"}});
  spec.env = {{"PATH", "/usr/bin:/bin"}, {"ONLY_THIS", "a b=c"}};
  auto result = run_to_end(spec);
  ::unsetenv("AIRLOCK_TEST_SECRET");
  REQUIRE(exited_with(result.status, 0));
  CHECK(result.out == "PATH=/usr/bin:/bin\nONLY_THIS=a b=c\n");
}

TEST_CASE("sandbox: the working folder is the spec's cwd") {
  TempWorkspace workspace;
  workspace.make_dir("sub/dir");
  auto spec = shell_spec(workspace, "pwd");
  spec.cwd = (workspace.path() / "sub/dir").string();
  auto result = run_to_end(spec);
  REQUIRE(exited_with(result.status, 0));
  CHECK(result.out == spec.cwd + "\n");
}

TEST_CASE("sandbox: a readonly workspace is visible but not writable") {
  TempWorkspace workspace;
  workspace.write("input.txt", "hello\n");
  auto result = run_to_end(shell_spec(workspace, "cat input.txt; echo x > new.txt || exit 9"));
  CHECK(result.out == "hello\n");
  CHECK(result.err.find("Read-only file system") != std::string::npos);
  CHECK(exited_with(result.status, 9));
  CHECK_FALSE(workspace.exists("new.txt"));
}

TEST_CASE("sandbox: a readwrite workspace is writable except its protected paths") {
  TempWorkspace workspace;
  workspace.write(".git/HEAD", "ref: refs/heads/main\n");
  auto spec = shell_spec(workspace,
                         "echo made > new.txt || exit 1; "
                         "echo bad > .git/HEAD && exit 2; echo bad > .git/evil && exit 3; "
                         "mv .git gone && exit 4; rm -rf .git && exit 5; exit 0");
  spec.policy.workspace_mode = WorkspaceMode::readwrite;
  auto result = run_to_end(spec);
  CHECK_MESSAGE(exited_with(result.status, 0), result.err);
  CHECK(workspace.read("new.txt") == "made\n");
  CHECK(workspace.read(".git/HEAD") == "ref: refs/heads/main\n");
  CHECK_FALSE(workspace.exists(".git/evil"));
}

TEST_CASE("sandbox: a protected path that is a symlink out of the workspace binds nothing from the host") {
  TempWorkspace workspace;
  std::filesystem::create_symlink("/etc", workspace.path() / ".git");
  auto spec = shell_spec(workspace, "test -e .git/shadow && exit 1; test -e /etc/shadow && exit 2; exit 0");
  spec.policy.workspace_mode = WorkspaceMode::readwrite;
  auto result = run_to_end(spec);
  CHECK_MESSAGE(exited_with(result.status, 0), result.err);
}

TEST_CASE("sandbox: the root is read-only and /etc holds only what programs need") {
  TempWorkspace workspace;
  auto result = run_to_end(shell_spec(workspace,
                                      "test -e /etc/shadow && exit 1; test -e /etc/gshadow && exit 2; "
                                      "test -e /dev/tty && exit 3; test -e /dev/pts && exit 4; test -e /sys/kernel && exit 5; "
                                      "touch /newfile 2>/dev/null && exit 6; touch /usr/newfile 2>/dev/null && exit 7; "
                                      "touch /etc/passwd 2>/dev/null && exit 8; touch /dev/newfile 2>/dev/null && exit 9; "
                                      "cat /etc/passwd /etc/group /etc/hosts; hostname"));
  CHECK_MESSAGE(exited_with(result.status, 0), result.err);
  const auto uid = std::to_string(workspace.sandbox_uid());
  CHECK(result.out.find("x:" + uid + ":") != std::string::npos);
  CHECK(result.out.find("root") == std::string::npos);
  CHECK(result.out.find("127.0.0.1\tlocalhost") != std::string::npos);
  CHECK(result.out.ends_with("airlock\n"));
}

TEST_CASE("sandbox: /tmp and HOME are private, writable and size-limited") {
  TempWorkspace workspace;
  auto spec = shell_spec(workspace,
                         "echo hi > \"$HOME/f\" && echo hi > /tmp/.airlock-build/f && stat -f -c '%b %S' /tmp && ls -A /tmp");
  spec.policy.limits.disk_bytes = 8 << 20;
  auto result = run_to_end(spec);
  REQUIRE_MESSAGE(exited_with(result.status, 0), result.err);
  const auto lines = lines_of(result.out);
  REQUIRE(lines.size() == 5);
  std::istringstream numbers(lines[0]);
  long long blocks = 0, block_size = 0;
  numbers >> blocks >> block_size;
  CHECK(blocks * block_size == 8 << 20);
  // Only the sandbox's own folders and the workspace's mount point: nothing of the host's /tmp.
  CHECK(lines[1] == ".airlock-build");
  CHECK(lines[2] == ".airlock-shm");
  CHECK(lines[3] == workspace.path().filename().string());
  CHECK(lines[4] == "home");
}

TEST_CASE("sandbox: there is no network but loopback, and loopback works") {
  TempWorkspace workspace;
  auto result = run_to_end(spec_in(workspace, {{"python3", "-c", R"(
import socket
with open('/proc/net/dev') as f:
    print(' '.join(line.split(':')[0].strip() for line in f.readlines()[2:]))
server = socket.create_server(('127.0.0.1', 0))
client = socket.create_connection(server.getsockname())
peer, _ = server.accept()
client.sendall(b'ping')
print(peer.recv(4).decode())
)"}}));
  CHECK_MESSAGE(exited_with(result.status, 0), result.err);
  CHECK(result.out == "lo\nping\n");
}

TEST_CASE("sandbox: files from the spec are in the read-only files folder") {
  TempWorkspace workspace;
  auto spec = shell_spec(workspace, "cat /airlock/snippet.py; stat -c %a /airlock/snippet.py; echo x > /airlock/snippet.py || exit 3");
  spec.files = {{.path = "/airlock/snippet.py", .content = "print('hi')\n", .mode = 0640}};
  auto result = run_to_end(spec);
  CHECK(result.out == "print('hi')\n640\n");
  CHECK(exited_with(result.status, 3));
}

TEST_CASE("sandbox: only fds 0-2 are inherited") {
  TempWorkspace workspace;
  auto result = run_to_end(spec_in(workspace, {{"/bin/ls", "/proc/self/fd"}}));
  REQUIRE(exited_with(result.status, 0));
  // ls itself opens the folder it lists as fd 3.
  CHECK(result.out == "0\n1\n2\n3\n");
}

TEST_CASE("sandbox: the init that reports the status is out of the program's reach") {
  TempWorkspace workspace;
  auto result = run_to_end(shell_spec(workspace,
                                      "cat /proc/1/environ && exit 1; cat /proc/1/maps && exit 2; ls /proc/1/fd && exit 3; "
                                      "kill -KILL 1; kill -TERM 1; exit 6"));
  CHECK(exited_with(result.status, 6));
  CHECK(result.out.empty());
}

TEST_CASE("sandbox: the program has its own session without a controlling terminal") {
  TempWorkspace workspace;
  // Fields 1, 6 and 7 of /proc/PID/stat: pid, session id, controlling terminal (0: none).
  auto result = run_to_end(shell_spec(workspace, "cut -d' ' -f1,6,7 /proc/$$/stat"));
  REQUIRE(exited_with(result.status, 0));
  std::istringstream fields(result.out);
  std::string pid, session, tty;
  fields >> pid >> session >> tty;
  CHECK(pid == session);
  CHECK(tty == "0");
}

}  // namespace
}  // namespace airlock::sandbox::testing
