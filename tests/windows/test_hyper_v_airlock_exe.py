"""airlock.exe's isolation "vm" end to end on a real Windows host with Hyper-V: each run boots a utility VM through
the Host Compute Service from the packaged guest image (scripts/package-windows puts vmlinux, initramfs.cpio and
system.vhd in vm\\ beside airlock.exe), and the project's Python protocol client drives airlock.exe over stdio as an
editor does.

Skipped, with the reason, unless AIRLOCK_HYPERV_HOST=1 says this host has Hyper-V enabled and the guest image:
Wine and Linux have no Host Compute Service. With it set, nothing here skips: a missing image fails.
Needs AIRLOCK_BIN (the packaged airlock.exe) and the rights creating a utility VM needs (an administrator, or a member
of Hyper-V Administrators). AIRLOCK_VM_IMAGE_DIR, when set, names the image folder instead of vm\\.

Whether a run's VM is gone is asked of HCS itself: HcsEnumerateComputeSystems (computecore.dll, through ctypes)
lists every compute system of the host, and airlock.exe names its VMs airlock-run-<its pid>-<n>. The timeout and
cancel tests first see the running program's VM listed, so an enumeration that listed nothing could not pass them.
"""

import ctypes
import json
import os
import shutil
import tempfile
import unittest

from airlock_client import Server, make_workspace, wait_until

HYPER_V_HOST = os.environ.get("AIRLOCK_HYPERV_HOST") == "1"
SKIP_REASON = ("needs a real Windows host with Hyper-V and airlock.exe's guest image; set AIRLOCK_HYPERV_HOST=1 "
               "there (.github/workflows/windows.yml's hyper-v job does)")
IMAGE_FILES = ("vmlinux", "initramfs.cpio", "system.vhd")
# A boot and python's start from the system disk, with room for a slow runner. Only a bound for waiting: a run that
# ends within it has ended by its cause (exit, timeout, cancel), not by the 600 s its program would sleep.
RUN_TIMEOUT = 180
# How long HCS may take to drop a terminated VM from its list after the run's response.
VM_GONE_TIMEOUT = 30


def image_dir():
    return os.environ.get("AIRLOCK_VM_IMAGE_DIR") or os.path.join(
        os.path.dirname(os.path.abspath(os.environ["AIRLOCK_BIN"])), "vm")


class HostComputeService:
    """HCS's own list of the host's compute systems (HcsEnumerateComputeSystems)."""

    def __init__(self):
        self.core = ctypes.WinDLL("computecore.dll")
        self.core.HcsCreateOperation.restype = ctypes.c_void_p
        self.core.HcsCreateOperation.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.core.HcsEnumerateComputeSystems.restype = ctypes.c_long
        self.core.HcsEnumerateComputeSystems.argtypes = [ctypes.c_wchar_p, ctypes.c_void_p]
        self.core.HcsWaitForOperationResult.restype = ctypes.c_long
        self.core.HcsWaitForOperationResult.argtypes = [ctypes.c_void_p, ctypes.c_uint32,
                                                        ctypes.POINTER(ctypes.c_void_p)]
        self.core.HcsCloseOperation.restype = None
        self.core.HcsCloseOperation.argtypes = [ctypes.c_void_p]
        self.kernel32 = ctypes.WinDLL("kernel32")
        self.kernel32.LocalFree.restype = ctypes.c_void_p
        self.kernel32.LocalFree.argtypes = [ctypes.c_void_p]

    def compute_system_ids(self):
        operation = self.core.HcsCreateOperation(None, None)
        if not operation:
            raise AssertionError(f"HcsCreateOperation failed (error {ctypes.get_last_error()})")
        try:
            result = self.core.HcsEnumerateComputeSystems("{}", operation)
            if result < 0:
                raise AssertionError(f"HcsEnumerateComputeSystems failed: HRESULT 0x{result & 0xFFFFFFFF:08X}")
            document = ctypes.c_void_p()
            result = self.core.HcsWaitForOperationResult(operation, 30000, ctypes.byref(document))
            text = ctypes.wstring_at(document.value) if document.value else ""
            if document.value:
                self.kernel32.LocalFree(document)
            if result < 0:
                raise AssertionError(f"enumerating the compute systems failed: HRESULT 0x{result & 0xFFFFFFFF:08X} "
                                     f"{text}")
        finally:
            self.core.HcsCloseOperation(operation)
        return [system["Id"] for system in json.loads(text or "[]")]


def python(*lines):
    return "\n".join(lines) + "\n"


def verdicts(stdout):
    """{name: value} from a program's `name value` lines."""
    return dict(line.split(" ", 1) for line in stdout.splitlines())


# The errno name of what a write raises, or "written".
TRY_WRITE = python(
    "import errno",
    "def try_write(path, mode='w'):",
    "    try:",
    "        with open(path, mode) as f:",
    "            f.write('from the VM\\n')",
    "        return 'written'",
    "    except OSError as e:",
    "        return errno.errorcode.get(e.errno, str(e.errno))",
)


@unittest.skipUnless(HYPER_V_HOST, SKIP_REASON)
class HyperVRuns(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        binary = os.environ.get("AIRLOCK_BIN", "")
        if not os.path.isfile(binary):
            raise AssertionError(f"AIRLOCK_HYPERV_HOST=1, but AIRLOCK_BIN ({binary!r}) names no airlock.exe")
        missing = [name for name in IMAGE_FILES if not os.path.isfile(os.path.join(image_dir(), name))]
        if missing:
            raise AssertionError(f"AIRLOCK_HYPERV_HOST=1, but the guest image folder {image_dir()} lacks {missing}: "
                                 "unpack scripts/package-windows's zip, or set AIRLOCK_VM_IMAGE_DIR")
        cls.hcs = HostComputeService()

    def serve(self, image_folder=None):
        """A fresh airlock.exe serve; when the test ends it must exit with 0 and leave none of its VMs behind."""
        env = dict(os.environ)
        env.pop("AIRLOCK_VM_IMAGE_DIR", None)
        if image_folder:
            env["AIRLOCK_VM_IMAGE_DIR"] = image_folder
        server = Server(env=env)
        self.addCleanup(self.close, server)
        self.assertIn("vm", server.capabilities["sandbox"]["isolation"], server.read_log())
        return server

    def close(self, server):
        pid = server.proc.pid
        self.assertEqual(server.close(timeout=60), 0)
        self.assertEqual(self.wait_until_vms_gone(pid), [], "the server's VMs outlived it")

    def vms_of(self, server_pid):
        prefix = f"airlock-run-{server_pid}-"
        return [name for name in self.hcs.compute_system_ids() if name.startswith(prefix)]

    def wait_until_vms_gone(self, server_pid):
        wait_until(lambda: not self.vms_of(server_pid), timeout=VM_GONE_TIMEOUT, interval=0.2)
        return self.vms_of(server_pid)

    def workspace(self, files=None, writable=False):
        # The long name: a temporary folder may be given by its 8.3 short name, which the guest would show.
        root = os.path.realpath(make_workspace(files, writable))
        self.addCleanup(shutil.rmtree, root, True)
        return root

    def vm_execute(self, server, **params):
        params.setdefault("policy", {})["isolation"] = "vm"
        return server.execute(timeout=RUN_TIMEOUT, **params)

    def start_long_run(self, server, run_id, until="sandbox/output", **params):
        """Starts a run whose program says `ready` and sleeps for 600 s; returns its request id once the run's first
        `until` notification came (its output: the program runs, and HCS must list its VM)."""
        request = server.start_request("sandbox/execute", {
            "runId": run_id, "workspaceFolder": self.workspace(), "command": ["sh", "-c", "echo ready; exec sleep 600"],
            "policy": {"isolation": "vm", "workspace": "readonly"}, **params})
        server.wait_notification(lambda m: m["method"] == until and m["params"]["runId"] == run_id,
                                 timeout=RUN_TIMEOUT)
        if until == "sandbox/output":
            self.assertEqual(server.output(run_id), "ready\n")
            self.assertEqual(len(self.vms_of(server.proc.pid)), 1, "HCS must list the run's VM while it runs")
        return request

    def finish_long_run(self, server, run_id, request, status):
        """The run ends with `status` long before its program would, once, and its VM is gone."""
        result = server.wait_response(request, timeout=RUN_TIMEOUT)["result"]
        self.assertEqual((result["status"], result["exitCode"]), (status, None), result)
        self.assert_exited_once_as_answered(server, run_id, result)
        self.assertEqual(self.wait_until_vms_gone(server.proc.pid), [])

    def assert_exited_once_as_answered(self, server, run_id, result):
        exited = server.run_notifications(run_id, "sandbox/exited")
        self.assertEqual([m["params"] for m in exited], [result])

    def test_python_writes_both_streams_reads_stdin_and_exits_with_3(self):
        server = self.serve()
        code = python(
            "import os, sys",
            "print('system', os.uname().sysname)",
            "print('stdin', sys.stdin.read().strip())",
            "print('to', 'stdout')",
            "print('to stderr', file=sys.stderr)",
            "sys.exit(3)",
        )
        response, out, err = self.vm_execute(server, runId="streams", workspaceFolder=self.workspace(), code=code,
                                             language="python", stdin="typed input\n", policy={"workspace": "readonly"})
        result = response["result"]
        self.assertEqual((result["status"], result["exitCode"], result["signal"], result["limit"]),
                         ("failed", 3, None, None), (out, err, result))
        self.assertEqual(out, "system Linux\nstdin typed input\nto stdout\n")
        self.assertEqual(err, "to stderr\n")
        self.assertEqual((result["stdoutBytes"], result["stderrBytes"], result["truncated"]),
                         (len(out.encode()), len(err.encode()), False))
        notifications = server.run_notifications("streams")
        self.assertEqual(notifications[0]["method"], "sandbox/started")
        started = notifications[0]["params"]
        self.assertEqual((started["isolation"], started["workspace"], started["vm"]["prebooted"]),
                         ("vm", "readonly", False))
        self.assertGreaterEqual(started["vm"]["vcpus"], 1)
        self.assertGreater(started["vm"]["memoryMB"], 0)
        outputs = [m["params"] for m in notifications if m["method"] == "sandbox/output"]
        self.assertEqual([o["seq"] for o in outputs], list(range(len(outputs))))
        self.assertEqual(notifications[-1]["method"], "sandbox/exited")
        self.assert_exited_once_as_answered(server, "streams", result)

    def test_a_readonly_workspace_is_readable_and_not_writable(self):
        server = self.serve()
        ws = self.workspace({"data.txt": "from the host\n", "sub/nested.txt": "nested\n", "main.py": TRY_WRITE + python(
            "import os",
            "print('data', open('data.txt').read().strip())",
            "print('nested', open(os.path.join('sub', 'nested.txt')).read().strip())",
            "print('listing', sorted(os.listdir('.')))",
            "print('create', try_write('new.txt'))",
            "print('append', try_write('data.txt', 'a'))",
            "print('folder', try_write(os.path.join('sub', 'made.txt')))",
        )})
        response, out, err = self.vm_execute(server, workspaceFolder=ws, file="main.py",
                                             policy={"workspace": "readonly"})
        self.assertEqual(response["result"]["status"], "ok", (out, err, response))
        self.assertEqual(verdicts(out), {
            "data": "from the host", "nested": "nested", "listing": "['data.txt', 'main.py', 'sub']",
            "create": "EROFS", "append": "EROFS", "folder": "EROFS"})
        self.assertEqual(sorted(os.listdir(ws)), ["data.txt", "main.py", "sub"])
        self.assertEqual(os.listdir(os.path.join(ws, "sub")), ["nested.txt"])
        with open(os.path.join(ws, "data.txt")) as f:
            self.assertEqual(f.read(), "from the host\n")

    def test_a_readwrite_workspace_takes_writes_and_keeps_git_read_only(self):
        server = self.serve()
        ws = self.workspace({".git/HEAD": "ref: refs/heads/main\n", "edit.txt": "old\n"}, writable=True)
        code = TRY_WRITE + python(
            "import os",
            "print('result', try_write('result.txt'))",
            "print('edit', try_write('edit.txt', 'a'))",
            "os.makedirs(os.path.join('made', 'deeper'))",
            "print('deep', try_write(os.path.join('made', 'deeper', 'file.txt')))",
            "print('git-head', try_write(os.path.join('.git', 'HEAD')))",
            "print('git-new', try_write(os.path.join('.git', 'new')))",
        )
        response, out, err = self.vm_execute(server, workspaceFolder=ws, code=code, language="python",
                                             policy={"workspace": "readwrite"})
        self.assertEqual(response["result"]["status"], "ok", (out, err, response))
        self.assertEqual(verdicts(out), {"result": "written", "edit": "written", "deep": "written",
                                         "git-head": "EROFS", "git-new": "EROFS"})
        for relative, content in (("result.txt", "from the VM\n"), ("edit.txt", "old\nfrom the VM\n"),
                                  ("made/deeper/file.txt", "from the VM\n"), (".git/HEAD", "ref: refs/heads/main\n")):
            with open(os.path.join(ws, *relative.split("/"))) as f:
                self.assertEqual(f.read(), content, relative)
        self.assertEqual(os.listdir(os.path.join(ws, ".git")), ["HEAD"])

    def test_the_vm_has_no_network(self):
        server = self.serve()
        code = python(
            "import errno, socket",
            "print('interfaces', sorted(name for _, name in socket.if_nameindex()))",
            "for address in (('1.1.1.1', 443), ('8.8.8.8', 53)):",
            "    try:",
            "        socket.create_connection(address, timeout=10).close()",
            "        print('connect-' + address[0], 'connected')",
            "    except OSError as e:",
            "        print('connect-' + address[0], errno.errorcode.get(e.errno, str(e)))",
        )
        response, out, err = self.vm_execute(server, workspaceFolder=self.workspace(), code=code, language="python",
                                             policy={"workspace": "readonly"})
        self.assertEqual(response["result"]["status"], "ok", (out, err, response))
        lines = verdicts(out)
        self.assertIn(lines["interfaces"], ("[]", "['lo']"))
        self.assertNotEqual(lines["connect-1.1.1.1"], "connected")
        self.assertNotEqual(lines["connect-8.8.8.8"], "connected")

    def test_a_timeout_ends_the_run_and_its_vm(self):
        server = self.serve()
        request = self.start_long_run(server, "slow", limits={"timeoutMs": 30000})
        self.finish_long_run(server, "slow", request, "timeout")

    def test_a_cancel_ends_the_run_and_its_vm(self):
        server = self.serve()
        request = self.start_long_run(server, "long")
        self.assertEqual(server.request("sandbox/cancel", {"runId": "long"})["result"], {"cancelled": True})
        self.finish_long_run(server, "long", request, "cancelled")

    def test_a_cancel_during_the_boot_ends_the_run_and_its_vm(self):
        server = self.serve()
        request = self.start_long_run(server, "booting", until="sandbox/started")
        self.assertEqual(server.request("sandbox/cancel", {"runId": "booting"})["result"], {"cancelled": True})
        self.finish_long_run(server, "booting", request, "cancelled")

    def test_a_guest_that_cannot_boot_ends_the_run_with_its_console(self):
        # Next to the real image, so the folder's permissions are those the real image has.
        folder = tempfile.mkdtemp(prefix="airlock-broken-image-", dir=os.path.dirname(image_dir()))
        self.addCleanup(shutil.rmtree, folder, True)
        for name in ("vmlinux", "system.vhd"):
            try:
                os.link(os.path.join(image_dir(), name), os.path.join(folder, name))
            except OSError:
                shutil.copyfile(os.path.join(image_dir(), name), os.path.join(folder, name))
        with open(os.path.join(folder, "initramfs.cpio"), "wb") as f:
            f.write(b"this is not a cpio archive\n" * 4096)
        server = self.serve(image_folder=folder)
        response, out, err = self.vm_execute(server, runId="broken", workspaceFolder=self.workspace(),
                                             command=["sh", "-c", "echo must not run"],
                                             policy={"workspace": "readonly"})
        result = response["result"]
        self.assertEqual(result["status"], "error", result)
        self.assertEqual((out, err), ("", ""))
        self.assertIn("The guest's console ended with:", result["message"])
        self.assertIn("Kernel panic", result["message"])
        self.assertEqual(server.run_notifications("broken")[0]["method"], "sandbox/started")
        self.assert_exited_once_as_answered(server, "broken", result)
        self.assertEqual(self.wait_until_vms_gone(server.proc.pid), [])


if __name__ == "__main__":
    unittest.main()
