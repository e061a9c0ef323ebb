"""Drives the real airlock binary over stdio for integration and security tests.

The server runs either as the invoking user or, when AIRLOCK_SERVER_USER=unprivileged and the tests run as
root, as uid/gid 65534 through setpriv. Workspaces are made so that the server's user can use them.
"""

import collections
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
import unittest

UNPRIVILEGED_UID = 65534
DEFAULT_TIMEOUT = 30


def server_user():
    return os.environ.get("AIRLOCK_SERVER_USER", "invoking")


def runs_unprivileged():
    return server_user() == "unprivileged" and os.geteuid() == 0


def server_uid():
    return UNPRIVILEGED_UID if runs_unprivileged() else os.geteuid()


_binary_copy = None


def airlock_binary():
    """The binary under test; for the unprivileged user a copy in a folder that user can reach."""
    global _binary_copy
    binary = os.environ.get("AIRLOCK_BIN") or os.path.join(os.path.dirname(__file__), "../../build/airlock")
    binary = os.path.abspath(binary)
    if not runs_unprivileged():
        return binary
    if _binary_copy is None:
        folder = tempfile.mkdtemp(prefix="airlock-bin-")
        os.chmod(folder, 0o755)
        _binary_copy = os.path.join(folder, "airlock")
        shutil.copy2(binary, _binary_copy)
        os.chmod(_binary_copy, 0o755)
    return _binary_copy


def as_server_user():
    """The argv prefix that runs a command as the server's user: setpriv to the unprivileged user, or nothing."""
    if runs_unprivileged():
        return ["setpriv", f"--reuid={UNPRIVILEGED_UID}", f"--regid={UNPRIVILEGED_UID}", "--clear-groups"]
    return []


# A launcher (see Server) for a host that forbids user namespaces, without changing the host: the command runs in a
# user namespace of its own whose limit of nested user namespaces is 0 (the sysctl is per user namespace). The
# command runs as root of that namespace, which is the user who starts the launcher.
USER_NAMESPACES_FORBIDDEN = ["unshare", "--user", "--map-root-user", "sh", "-c",
                             'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"', "sh"]


def server_command(*args):
    return [*as_server_user(), airlock_binary(), *args]


def make_workspace(files=None, writable=False, under=None):
    """A fresh workspace folder the server's user (and so the sandbox) can read, and write when asked;
    inside the folder `under` when given (default: the system's temporary folder)."""
    root = tempfile.mkdtemp(prefix="airlock-ws-", dir=under)
    for relative, content in (files or {}).items():
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb" if isinstance(content, bytes) else "w") as f:
            f.write(content)
    for folder, dirs, names in os.walk(root):
        os.chmod(folder, 0o777 if writable else 0o755)
        for name in names:
            os.chmod(os.path.join(folder, name), 0o666 if writable else 0o644)
    # On Windows (airlock.exe's tests) a file's owner is not handed over like this, nor needs to be.
    if writable and os.name == "posix" and os.geteuid() == 0:
        for folder, dirs, names in os.walk(root):
            os.chown(folder, server_uid(), server_uid())
            for name in names:
                os.chown(os.path.join(folder, name), server_uid(), server_uid())
    return root


def read_file(folder, relative):
    with open(os.path.join(folder, relative)) as f:
        return f.read()


def sanitizer_options():
    """The sanitizer settings of this test run (where a sanitized server writes its reports), passed on to the
    server; empty unless the tests run against a sanitized build."""
    return {name: value for name, value in os.environ.items() if name in ("ASAN_OPTIONS", "UBSAN_OPTIONS")}


def config_file(test_case, settings):
    """A server config file (`airlock serve --config`) holding `settings`, readable by the server's user and removed
    when `test_case` ends."""
    config = tempfile.NamedTemporaryFile("w", prefix="airlock-config-", suffix=".json", delete=False)
    with config:
        json.dump(settings, config)
    os.chmod(config.name, 0o644)
    test_case.addCleanup(os.unlink, config.name)
    return config.name


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    """One `airlock serve` process and the messages it sends."""

    def __init__(self, *extra_args, env=None, initialize=True, stderr=subprocess.PIPE, pass_fds=(), launcher=(),
                 launcher_sets_user=False):
        """`launcher`: argv that starts the server's command, e.g. a wrapper that prepares a mount namespace; with
        `launcher_sets_user`, the launcher itself runs the server as the server's user (see as_server_user)."""
        self.log = tempfile.NamedTemporaryFile(prefix="airlock-log-", suffix=".txt", delete=False)
        # Only its name is used: the server writes it, and Windows cannot remove a file this process keeps open.
        self.log.close()
        os.chmod(self.log.name, 0o666)
        serve = ["serve", "--log-file", self.log.name, "--log-level", "debug", *extra_args]
        self.proc = subprocess.Popen(
            [*launcher, *([airlock_binary(), *serve] if launcher_sets_user else server_command(*serve))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, pass_fds=pass_fds,
            env={**(env if env is not None else {"PATH": "/usr/bin:/bin"}), **sanitizer_options()},
            start_new_session=True)
        # Every message from the server in the order it arrived, for tests of ordering between responses and
        # notifications (which `responses` and `notifications` keep apart).
        self.received = []
        self.notifications = []
        self.responses = {}
        self.lock = threading.Condition()
        self.next_id = 1
        self.reading = threading.Event()
        self.reading.set()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        if initialize:
            result = self.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
            self.capabilities = result["result"]["capabilities"]
            self.notify("initialized", {})

    def _read(self):
        out = self.proc.stdout
        while True:
            self.reading.wait()
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    with self.lock:
                        self.lock.notify_all()
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            message = json.loads(body)
            with self.lock:
                self.received.append(message)
                if "id" in message and "method" not in message:
                    self.responses[json.dumps(message["id"])] = message
                else:
                    self.notifications.append(message)
                self.lock.notify_all()

    def send_raw(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        self.send_raw(frame(json.dumps(message).encode()))

    def notify(self, method, params=None):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def start_request(self, method, params=None, id=None):
        if id is None:
            id = self.next_id
            self.next_id += 1
        message = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return id

    def wait_response(self, id, timeout=DEFAULT_TIMEOUT):
        key = json.dumps(id)
        deadline = time.monotonic() + timeout
        with self.lock:
            while key not in self.responses:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.proc.poll() is not None and not self.reader.is_alive()):
                    raise AssertionError(f"no response to request {id} within {timeout} s; log:\n{self.read_log()}")
                self.lock.wait(min(remaining, 0.5))
            return self.responses.pop(key)

    def request(self, method, params=None, timeout=DEFAULT_TIMEOUT):
        return self.wait_response(self.start_request(method, params), timeout)

    def wait_notification(self, predicate, timeout=DEFAULT_TIMEOUT):
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                for message in self.notifications:
                    if predicate(message):
                        return message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"notification not seen within {timeout} s; log:\n{self.read_log()}")
                self.lock.wait(min(remaining, 0.5))

    def run_notifications(self, run_id, method=None):
        with self.lock:
            return [m for m in self.notifications
                    if m.get("params", {}).get("runId") == run_id and (method is None or m["method"] == method)]

    def output(self, run_id, stream="stdout"):
        return "".join(m["params"]["text"] for m in self.run_notifications(run_id, "sandbox/output")
                       if m["params"]["stream"] == stream)

    def execute(self, timeout=DEFAULT_TIMEOUT, **params):
        """Runs to the end; returns (response, stdout, stderr)."""
        response = self.request("sandbox/execute", params, timeout=timeout)
        run_id = (response.get("result") or {}).get("runId") or params.get("runId")
        return response, self.output(run_id, "stdout"), self.output(run_id, "stderr")

    def peak_memory_kb(self):
        """The server process's peak resident memory (VmHWM)."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise AssertionError(f"no VmHWM in /proc/{self.proc.pid}/status")

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            return int(next(line for line in f if line.startswith("VmRSS")).split()[1])

    def read_log(self):
        try:
            with open(self.log.name, errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def close(self, timeout=10):
        if self.proc.poll() is None:
            # A test that failed may have stopped reading: the server then cannot answer shutdown, but must still
            # end on exit.
            self.reading.set()
            for end in (lambda: self.request("shutdown", timeout=timeout), lambda: self.notify("exit")):
                try:
                    end()
                except (AssertionError, BrokenPipeError, OSError):
                    pass
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the server did not exit within {timeout} s; log:\n{self.read_log()}")
        finally:
            if self.proc.poll() is None:
                if os.name == "posix":
                    os.killpg(self.proc.pid, signal.SIGKILL)
                else:
                    self.proc.kill()  # airlock.exe's VMs and jobs end with its handles
                self.proc.wait()
            for stream in filter(None, (self.proc.stdin, self.proc.stdout, self.proc.stderr)):
                try:
                    stream.close()
                except OSError:
                    pass
            os.unlink(self.log.name)


_marker_count = 0


def unique_marker():
    """A number for `sleep` that no other test process uses (suites run in parallel, in both server modes)."""
    global _marker_count
    _marker_count += 1
    return "9%d.%d" % (_marker_count, os.getpid())


def processes_with_marker(marker):
    """Host pids with `marker` as one of their arguments (to prove nothing of a run survives)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker.encode() in f.read().split(b"\0"):
                    found.append(int(pid))
        except OSError:
            pass
    return found


def wait_until(predicate, timeout=5.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class ServerTestCase(unittest.TestCase):
    """A fresh server per test, closed (and checked for a clean exit) afterwards."""

    def setUp(self):
        self.server = self.start_server()
        self.workspaces = []

    def start_server(self):
        return Server()

    def tearDown(self):
        self.server.close()
        for workspace in self.workspaces:
            shutil.rmtree(workspace, ignore_errors=True)

    def workspace(self, files=None, writable=False, under=None):
        root = make_workspace(files, writable, under)
        self.workspaces.append(root)
        return root


def sandbox_uid():
    """The uid a run gets: the server's own, or nobody when a root server runs code from a root-owned workspace."""
    return UNPRIVILEGED_UID if os.geteuid() == 0 else os.geteuid()


_doctor_protections = None


def doctor_protections():
    """{protection name: active} of the process isolation that runs get by default, as `airlock doctor --json`
    reports it for the server's user; asked once per process."""
    global _doctor_protections
    if _doctor_protections is None:
        completed = subprocess.run(server_command("doctor", "--json"), capture_output=True, text=True, timeout=60,
                                   env={"PATH": "/usr/bin:/bin"})
        try:
            report = json.loads(completed.stdout)
        except json.JSONDecodeError:
            raise AssertionError(f"`airlock doctor --json` printed no report:\n{completed.stdout}{completed.stderr}")
        _doctor_protections = {p["name"]: (bool(p["active"]), p.get("detail", "")) for p in report["protections"]
                               if p["isolation"] == "process"}
    return _doctor_protections


def protection_active(name):
    return doctor_protections().get(name, (False, ""))[0]


def protection_detail(name):
    """How `airlock doctor` says the protection is enforced (or why it is not)."""
    return doctor_protections().get(name, (False, ""))[1]


def requires_protection(*names):
    """Skips a test while `airlock doctor` does not report each named protection active: the attack it makes is
    only held by that protection, so running it would only show the gap (or, for a bomb, harm the machine)."""
    def decorate(test):
        @functools.wraps(test)
        def guarded(*args, **kwargs):
            missing = [name for name in names if not protection_active(name)]
            if missing:
                raise unittest.SkipTest("protection not active per `airlock doctor`: " + ", ".join(missing))
            return test(*args, **kwargs)
        return guarded
    return decorate


def start_host_process(marker, env=None):
    """A host process `sleep <marker>` owned by the sandbox's user, for attacks that try to reach the host's."""
    command = ["sleep", marker]
    if os.geteuid() == 0:
        command = ["setpriv", f"--reuid={UNPRIVILEGED_UID}", f"--regid={UNPRIVILEGED_UID}", "--clear-groups", *command]
    process = subprocess.Popen(command, env=env or {"PATH": "/usr/bin:/bin"}, start_new_session=True)
    if not wait_until(lambda: process.pid in processes_with_marker(marker)):
        process.kill()
        raise AssertionError(f"the host process `sleep {marker}` did not start")
    return process


def tree_snapshot(root):
    """Everything an escape could change below `root`: type, mode, owner, size, content and link targets."""
    snapshot = {}
    for folder, dirs, names in os.walk(root):
        for name in [*dirs, *names]:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            entry = [stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid, info.st_nlink]
            if stat.S_ISLNK(info.st_mode):
                entry.append(os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                with open(path, "rb") as f:
                    entry.append(hashlib.sha256(f.read()).hexdigest())
            snapshot[os.path.relpath(path, root)] = entry
    return snapshot


# Host files an escape would most want to change.
HOST_FILES = ["/etc/passwd", "/etc/shadow", "/etc/group", "/etc/sudoers", "/etc/hosts", "/etc/resolv.conf",
              "/etc/ld.so.preload", "/root/.ssh/authorized_keys", "/root/.bashrc"]


def host_state():
    """What every attack must leave as it was: key host files, the host name, network interfaces and addresses,
    and this namespace's mounts."""
    files = {}
    for path in HOST_FILES:
        try:
            with open(path, "rb") as f:
                files[path] = hashlib.sha256(f.read()).hexdigest()
        except FileNotFoundError:
            files[path] = None
    with open("/proc/self/mountinfo") as f:
        mounts = sorted(" ".join(line.split()[3:6]) for line in f)
    addresses = subprocess.run(["ip", "-o", "-br", "addr"], capture_output=True, text=True).stdout
    return {"files": files, "hostname": os.uname().nodename, "mounts": mounts,
            "addresses": sorted(addresses.splitlines())}


ATTACKS_FOLDER = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "security", "attacks"))
# The language of an attack by its extension, and the verdict helper it includes from its own folder.
ATTACK_LANGUAGES = {".py": ("python", "verdict.py"), ".sh": ("bash", "verdict.sh"), ".c": ("c", "verdict.h")}

AttackRun = collections.namedtuple("AttackRun", "result stdout stderr verdicts")


def parse_verdicts(stdout):
    """{probe: outcome} from an attack's `verdict <probe> <outcome>` lines; a probe reported twice is an error."""
    verdicts = {}
    for line in stdout.splitlines():
        if not line.startswith("verdict "):
            continue
        _, probe, outcome = line.split(" ", 2)
        if probe in verdicts:
            raise AssertionError(f"probe {probe} reported twice:\n{stdout}")
        verdicts[probe] = outcome
    return verdicts


class AttackTestCase(ServerTestCase):
    """Runs attack programs from tests/security/attacks in the sandbox, with small limits, and reads their verdicts."""

    limits = {"timeoutMs": 10000, "memoryMB": 256, "maxProcesses": 32, "diskMB": 16}

    def attack_workspace(self, attack, files=None, writable=False, under=None):
        """A workspace holding the attack program and its verdict helper next to `files`."""
        helper = ATTACK_LANGUAGES[os.path.splitext(attack)[1]][1]
        program_files = {}
        for name in (attack, helper):
            with open(os.path.join(ATTACKS_FOLDER, name)) as f:
                program_files[name] = f.read()
        return self.workspace({**(files or {}), **program_files}, writable, under)

    def run_attack(self, workspace, attack, *args, limits=None, policy=None, timeout=DEFAULT_TIMEOUT, **params):
        """Runs `attack` in `workspace` (read-only unless `policy` says otherwise, so that the expected outcomes do
        not follow the server's default mode) and checks that the host's state (see host_state) did not change."""
        language = ATTACK_LANGUAGES[os.path.splitext(attack)[1]][0]
        before = host_state()
        response = self.server.request("sandbox/execute", {
            "workspaceFolder": workspace, "file": attack, "language": language, "args": [str(a) for a in args],
            "limits": {**self.limits, **(limits or {})}, "policy": policy or {"workspace": "readonly"}, **params},
            timeout=timeout)
        self.assertIn("result", response, response)
        result = response["result"]
        stdout, stderr = self.server.output(result["runId"], "stdout"), self.server.output(result["runId"], "stderr")
        self.assertEqual(host_state(), before, f"the host changed during {attack}:\n{stdout}")
        return AttackRun(result, stdout, stderr, parse_verdicts(stdout))

    def attack(self, attack, *args, files=None, writable=False, **params):
        """Runs `attack` in a fresh workspace of its own."""
        return self.run_attack(self.attack_workspace(attack, files, writable), attack, *args, **params)

    def assertHeld(self, run, expected_verdicts):
        """The attack reported exactly the expected outcome for every probe (and no other probe)."""
        self.assertEqual(run.verdicts, expected_verdicts,
                         f"result: {run.result}\nstdout:\n{run.stdout}\nstderr:\n{run.stderr[-3000:]}")

    def assertStillServes(self):
        """The server answers a fresh run after an attack."""
        response, out, err = self.server.execute(workspaceFolder=self.workspace(), code="print('still serving')",
                                                 language="python")
        self.assertEqual(response.get("result", {}).get("status"), "ok", (response, err))
        self.assertEqual(out, "still serving\n")


def child_pids(pid):
    """Pids whose parent is `pid`."""
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(entry))
    return children


def open_descriptors(pid):
    """What each open descriptor of `pid` refers to, without inode numbers (`pipe:[123]` -> `pipe:`), sorted."""
    folder = f"/proc/{pid}/fd"
    targets = []
    for fd in os.listdir(folder):
        try:
            targets.append(re.sub(r"\[\d+\]$", "", os.readlink(os.path.join(folder, fd))))
        except OSError:
            pass
    return sorted(targets)


def server_footprint(server):
    """What a server holds besides memory: its open descriptors, its child processes and this namespace's mounts.
    Equal before and after a series of finished runs when nothing leaks."""
    return {"descriptors": open_descriptors(server.proc.pid), "children": child_pids(server.proc.pid),
            "mounts": host_state()["mounts"]}


def seconds_until(predicate, timeout, interval=0.005):
    """Seconds until `predicate` held, or None when it did not within `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    return None
