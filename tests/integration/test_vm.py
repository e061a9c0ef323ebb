"""Isolation "vm" end to end: each run boots its own microVM (QEMU, TCG here) with its own kernel and the guest
agent as PID 1. A boot under TCG takes seconds, so each test makes one run and checks as much as that run shows."""

import atexit
import json
import os
import platform
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from airlock_client import (Server, ServerTestCase, make_workspace, runs_unprivileged, server_command, server_uid,
                            wait_until)
from test_overlay import give_to_project_owner

BINARY = os.path.abspath(os.environ.get("AIRLOCK_BIN") or os.path.join(os.path.dirname(__file__), "../../build/airlock"))
# The image its build made beside the binary; a build that makes none (the sanitized one) is given another's.
BUILT_IMAGE_DIR = os.environ.get("AIRLOCK_VM_IMAGE_DIR") or os.path.join(os.path.dirname(BINARY), "vm")
IMAGE_FILES = ("vmlinux", "initramfs.cpio", "release")
NO_IMAGE = "no VM image next to the binary or in AIRLOCK_VM_IMAGE_DIR: scripts/setup fetches the kernel and builds it"
# A TCG boot plus an interpreter's start over 9p on a busy two-core machine.
RUN_TIMEOUT = 180


def vm_image_missing():
    return not all(os.path.exists(os.path.join(BUILT_IMAGE_DIR, name)) for name in IMAGE_FILES)


_image_copy = None


def image_dir():
    """The build's VM image; for the unprivileged server a copy in a folder that user can reach."""
    global _image_copy
    if not runs_unprivileged() or vm_image_missing():
        return BUILT_IMAGE_DIR
    if _image_copy is None:
        _image_copy = tempfile.mkdtemp(prefix="airlock-vm-image-")
        atexit.register(shutil.rmtree, _image_copy, True)
        os.chmod(_image_copy, 0o755)
        for name in IMAGE_FILES:
            shutil.copy(os.path.join(BUILT_IMAGE_DIR, name), _image_copy)
            os.chmod(os.path.join(_image_copy, name), 0o644)
    return _image_copy


def vm_env(**extra):
    # The server (or its unprivileged copy) is pointed at the image explicitly. The KVM probe is tested by the
    # doctor test alone; runs skip it (nested KVM hangs here, and the probe waits that out).
    env = {"PATH": "/usr/bin:/bin", "AIRLOCK_VM_ACCEL": "tcg", **extra}
    env.setdefault("AIRLOCK_VM_IMAGE_DIR", image_dir())
    return env


def qemu_children(server_pid):
    """QEMU processes whose parent is the server."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/comm") as f:
                name = f.read().strip()
        except OSError:
            continue
        if int(fields[1]) == server_pid and name.startswith("qemu-system"):
            found.append(int(pid))
    return found


def running(pid):
    """Whether the process exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


@unittest.skipIf(platform.machine() != "x86_64", "the VM backend runs x86_64 guests")
@unittest.skipIf(vm_image_missing(), NO_IMAGE)
class VmRuns(ServerTestCase):
    def start_server(self):
        return Server(env=vm_env())

    def vm_execute(self, **params):
        params.setdefault("policy", {})["isolation"] = "vm"
        return self.server.execute(timeout=RUN_TIMEOUT, **params)

    def test_capabilities_offer_vm_and_name_its_accelerator(self):
        self.assertIn("vm", self.server.capabilities["sandbox"]["isolation"])
        self.assertEqual(self.server.capabilities["sandbox"]["accelerators"], {"vm": "tcg"})

    def test_own_kernel_output_stdin_exit_code_readonly_workspace_and_no_network(self):
        ws = self.workspace({"data.txt": "from the host\n"})
        code = "\n".join([
            "import os, sys",
            "print('kernel', os.uname().release)",
            "print('stdin', sys.stdin.read().strip())",
            "print('data', open('data.txt').read().strip())",
            "print('cwd', os.getcwd())",
            "print('uid', os.getuid())",
            "print('interfaces', sorted(os.listdir('/sys/class/net')) if os.path.exists('/sys/class/net') else [])",
            "try:",
            "    open('new.txt', 'w')",
            "    print('write', 'allowed')",
            "except OSError as e:",
            "    print('write', e.strerror)",
            "print('to stderr', file=sys.stderr)",
            "sys.exit(3)",
        ])
        response, out, err = self.vm_execute(runId="vm1", workspaceFolder=ws, code=code, language="python",
                                             stdin="typed input\n", policy={"workspace": "readonly"})
        result = response["result"]
        self.assertEqual((result["status"], result["exitCode"]), ("failed", 3), (out, err, result))
        lines = dict(line.split(" ", 1) for line in out.splitlines())
        self.assertNotEqual(lines["kernel"], platform.release(), "the guest must run its own kernel")
        self.assertEqual(lines["stdin"], "typed input")
        self.assertEqual(lines["data"], "from the host")
        self.assertEqual(lines["cwd"], ws)
        self.assertNotEqual(lines["uid"], "0")
        self.assertIn(lines["interfaces"], ("[]", "['lo']"))
        self.assertEqual(lines["write"], "Read-only file system")
        self.assertEqual(err, "to stderr\n")
        started = self.server.run_notifications("vm1", "sandbox/started")
        self.assertEqual((started[0]["params"]["isolation"], started[0]["params"]["accelerator"]), ("vm", "tcg"))
        self.assertFalse(os.path.exists(os.path.join(ws, "new.txt")))

    def test_readwrite_workspace_c_program_and_protected_paths(self):
        ws = self.workspace({".git/HEAD": "ref: refs/heads/main\n"}, writable=True)
        code = "\n".join([
            "#include <stdio.h>",
            "int main(void) {",
            "  FILE* out = fopen(\"result.txt\", \"w\");",
            "  if (!out) return 10;",
            "  fputs(\"written in the VM\\n\", out);",
            "  fclose(out);",
            "  FILE* git = fopen(\".git/HEAD\", \"w\");",
            "  printf(\"git %s\\n\", git ? \"writable\" : \"protected\");",
            "  return 0;",
            "}",
        ])
        response, out, err = self.vm_execute(workspaceFolder=ws, code=code, language="c",
                                             policy={"workspace": "readwrite"})
        self.assertEqual(response["result"]["status"], "ok", (out, err))
        self.assertEqual(out, "git protected\n")
        with open(os.path.join(ws, "result.txt")) as f:
            self.assertEqual(f.read(), "written in the VM\n")
        with open(os.path.join(ws, ".git/HEAD")) as f:
            self.assertEqual(f.read(), "ref: refs/heads/main\n")

    def test_overlay_is_the_default_and_its_changes_wait_for_review(self):
        ws = self.workspace({"edit.txt": "old\n", "remove.txt": "bye\n"})
        give_to_project_owner(ws)
        script = "echo new >> edit.txt && rm remove.txt && mkdir made && echo m > made/m.txt && ln -s made/m.txt link"
        response, out, err = self.vm_execute(runId="overlay", workspaceFolder=ws, command=["bash", "-c", script])
        result = response["result"]
        self.assertEqual(result["status"], "ok", (out, err, result))
        self.assertEqual(self.server.run_notifications("overlay", "sandbox/started")[0]["params"]["workspace"], "overlay")
        self.assertEqual([(c["kind"], c["path"]) for c in result["changes"]], [
            ("modified", "edit.txt"), ("added", "link"), ("added", "made"), ("added", "made/m.txt"),
            ("deleted", "remove.txt")])
        self.assertEqual(sorted(os.listdir(ws)), ["edit.txt", "remove.txt"], "nothing reaches the workspace before apply")
        applied = self.server.request("sandbox/applyChanges", {"runId": "overlay"})["result"]
        self.assertEqual((applied["applied"], applied["conflicts"]), ([c["path"] for c in result["changes"]], []))
        with open(os.path.join(ws, "edit.txt")) as f:
            self.assertEqual(f.read(), "old\nnew\n")
        self.assertEqual(os.readlink(os.path.join(ws, "link")), "made/m.txt")
        self.assertFalse(os.path.exists(os.path.join(ws, "remove.txt")))

    def test_memory_limit_ends_the_run(self):
        ws = self.workspace()
        code = "blocks = []\nwhile True:\n    blocks.append(bytearray(8 << 20))\n"
        response, out, err = self.vm_execute(workspaceFolder=ws, code=code, language="python", limits={"memoryMB": 64})
        result = response["result"]
        self.assertEqual((result["status"], result["limit"]), ("limit", "memory"), (out, err, result))

    def test_qemu_is_confined_and_cancel_kills_the_vm_at_once_keeping_the_overlay_layer_only(self):
        ws = self.workspace()
        give_to_project_owner(ws)
        server_pid = self.server.proc.pid
        fds_before = open_fds(server_pid) if os.geteuid() == 0 or server_uid() == os.geteuid() else None
        request = self.server.start_request("sandbox/execute", {
            "runId": "long", "workspaceFolder": ws, "command": ["sh", "-c", "echo kept > kept.txt; echo ready; exec sleep 600"],
            "policy": {"isolation": "vm"}})
        self.server.wait_notification(lambda m: m["method"] == "sandbox/output" and m["params"]["runId"] == "long",
                                      timeout=RUN_TIMEOUT)
        qemu = qemu_children(server_pid)
        self.assertEqual(len(qemu), 1)
        for namespace in ("net", "user"):
            self.assertNotEqual(os.readlink(f"/proc/{qemu[0]}/ns/{namespace}"), os.readlink(f"/proc/self/ns/{namespace}"),
                                f"QEMU must run in a {namespace} namespace of its own")
        cancelled_at = time.monotonic()
        self.assertEqual(self.server.request("sandbox/cancel", {"runId": "long"})["result"], {"cancelled": True})
        response = self.server.wait_response(request, timeout=30)
        elapsed = time.monotonic() - cancelled_at
        self.assertEqual(response["result"]["status"], "cancelled")
        self.assertLess(elapsed, 2.0, "cancel must kill the VM within moments")
        self.assertEqual(qemu_children(server_pid), [])
        # The overlay run's layer came out of the VM before it died and waits for review, as with process isolation.
        self.assertEqual([(c["kind"], c["path"]) for c in response["result"]["changes"]], [("added", "kept.txt")])
        self.assertEqual(os.listdir(ws), [])
        self.assertEqual(self.server.request("sandbox/applyChanges", {"runId": "long"})["result"]["applied"], ["kept.txt"])
        with open(os.path.join(ws, "kept.txt")) as f:
            self.assertEqual(f.read(), "kept\n")
        if fds_before is not None:
            self.assertTrue(wait_until(lambda: open_fds(server_pid) <= fds_before), "the run left descriptors open")

    def test_the_vm_dies_with_a_killed_server(self):
        ws = self.workspace()
        self.server.start_request("sandbox/execute", {
            "runId": "orphan", "workspaceFolder": ws, "command": ["sh", "-c", "echo ready; exec sleep 600"],
            "policy": {"isolation": "vm"}})
        self.server.wait_notification(lambda m: m["method"] == "sandbox/output" and m["params"]["runId"] == "orphan",
                                      timeout=RUN_TIMEOUT)
        [qemu] = qemu_children(self.server.proc.pid)
        os.kill(self.server.proc.pid, signal.SIGKILL)
        self.server.proc.wait()
        self.assertTrue(wait_until(lambda: not running(qemu), timeout=5), "QEMU outlived the server")

    def test_host_network_is_refused_not_weakened(self):
        response = self.server.request("sandbox/execute", {"workspaceFolder": self.workspace(), "command": ["true"],
                                                           "policy": {"isolation": "vm", "network": "host"}})
        self.assertEqual(response["error"]["code"], -32010, response)
        self.assertIn("no network device", response["error"]["message"])

    def test_missing_program_is_a_clear_error(self):
        ws = self.workspace()
        response, _, _ = self.vm_execute(workspaceFolder=ws, command=["no-such-program-xyz"])
        self.assertEqual(response["result"]["status"], "error")
        self.assertIn("no-such-program-xyz", response["result"]["message"])


def staging_folders(server_pid):
    """The VM staging folders a server made (their names carry its pid)."""
    prefix = f"airlock-vm-staging-{server_pid}-"
    return [name for name in os.listdir(tempfile.gettempdir()) if name.startswith(prefix)]


@unittest.skipIf(platform.machine() != "x86_64", "the VM backend runs x86_64 guests")
@unittest.skipIf(vm_image_missing(), NO_IMAGE)
class VmWarmPool(ServerTestCase):
    """A server told to keep one VM booted ahead: under TCG here, so the pool has one VM (CI time)."""

    def start_server(self):
        folder = tempfile.mkdtemp(prefix="airlock-vm-config-")
        self.addCleanup(shutil.rmtree, folder, True)
        os.chmod(folder, 0o755)
        config = os.path.join(folder, "config.json")
        with open(config, "w") as f:
            json.dump({"vmPoolSize": 1}, f)
        os.chmod(config, 0o644)
        return Server("--config", config, env=vm_env())

    def start_long_run(self, run_id, ws, **params):
        request = self.server.start_request("sandbox/execute", {
            "runId": run_id, "workspaceFolder": ws, "command": ["sh", "-c", "echo ready; nproc; exec sleep 600"],
            "policy": {"isolation": "vm"}, **params})
        self.server.wait_notification(lambda m: m["method"] == "sandbox/output" and m["params"]["runId"] == run_id,
                                      timeout=RUN_TIMEOUT)
        return request

    def started(self, run_id):
        return self.server.run_notifications(run_id, "sandbox/started")[0]["params"]

    def test_each_pooled_vm_serves_one_run_the_pool_refills_and_dies_with_the_server(self):
        server_pid = self.server.proc.pid
        self.assertTrue(wait_until(lambda: len(qemu_children(server_pid)) == 1, timeout=10), "the pool boots a VM at start")
        [pooled] = qemu_children(server_pid)
        self.assertEqual(len(staging_folders(server_pid)), 1)

        # The first run takes the waiting VM and gets the workspace it asked for; a fresh VM replaces it at once.
        ws = self.workspace({"data.txt": "from the host\n"})
        response, out, err = self.server.execute(timeout=RUN_TIMEOUT, runId="warm", workspaceFolder=ws,
                                                 command=["sh", "-c", "cat data.txt; echo x > new.txt || echo refused"],
                                                 policy={"isolation": "vm", "workspace": "readonly"})
        self.assertEqual(response["result"]["status"], "ok", (out, err, response))
        self.assertTrue(out.startswith("from the host\n"), out)
        self.assertIn("Read-only file system", err + out)
        self.assertTrue(self.started("warm")["vm"]["prebooted"], self.started("warm"))
        self.assertTrue(wait_until(lambda: pooled not in qemu_children(server_pid) and len(qemu_children(server_pid)) == 1,
                                   timeout=10), "the used VM ends and one replacement waits")
        [refill] = qemu_children(server_pid)
        self.assertNotEqual(refill, pooled)

        # Cancelling a run on a pooled VM is as quick as on a VM booted for it; that VM is never used again.
        request = self.start_long_run("cancelled", ws)
        self.assertTrue(self.started("cancelled")["vm"]["prebooted"])
        self.assertIn(refill, qemu_children(server_pid))
        cancelled_at = time.monotonic()
        self.assertEqual(self.server.request("sandbox/cancel", {"runId": "cancelled"})["result"], {"cancelled": True})
        self.assertEqual(self.server.wait_response(request, timeout=30)["result"]["status"], "cancelled")
        self.assertLess(time.monotonic() - cancelled_at, 2.0)
        self.assertNotIn(refill, qemu_children(server_pid))

        # Other memory or vCPU limits than the pool's: a VM of that shape is booted, and started says so.
        request = self.start_long_run("shaped", ws, limits={"memoryMB": 256, "vcpus": 2})
        self.assertEqual(self.started("shaped")["vm"], {"vcpus": 2, "memoryMB": 256 + 160, "prebooted": False})
        self.assertTrue(wait_until(lambda: self.server.output("shaped") == "ready\n2\n", timeout=30),
                        self.server.output("shaped"))
        self.assertEqual(self.server.request("sandbox/cancel", {"runId": "shaped"})["result"], {"cancelled": True})
        self.server.wait_response(request, timeout=30)

        self.assertTrue(wait_until(lambda: len(qemu_children(server_pid)) == 1, timeout=10))

        def nothing_left_once_the_server_closed():  # cleanups run after tearDown closed the server
            self.assertEqual(qemu_children(server_pid), [])
            self.assertEqual(staging_folders(server_pid), [], "staging folders are removed with their VMs")
        self.addCleanup(nothing_left_once_the_server_closed)


class VmUnavailable(unittest.TestCase):
    def test_missing_image_is_sandbox_unavailable_with_the_fix(self):
        ws = make_workspace()
        self.addCleanup(shutil.rmtree, ws, True)
        server = Server(env=vm_env(AIRLOCK_VM_IMAGE_DIR="/nonexistent-airlock-vm"))
        try:
            self.assertNotIn("vm", server.capabilities["sandbox"]["isolation"])
            response = server.request("sandbox/execute", {"workspaceFolder": ws, "command": ["true"],
                                                          "policy": {"isolation": "vm"}})
            self.assertEqual(response["error"]["code"], -32010)
            self.assertIn("scripts/setup", response["error"]["message"])
        finally:
            server.close()


@unittest.skipIf(platform.machine() != "x86_64", "the VM backend runs x86_64 guests")
@unittest.skipIf(vm_image_missing(), NO_IMAGE)
class VmCli(unittest.TestCase):
    def test_run_and_doctor(self):
        ws = make_workspace({"hello.sh": "read line\necho \"vm got $line\"\nexit 4\n"})
        self.addCleanup(shutil.rmtree, ws, True)
        env = vm_env()
        run = subprocess.run(server_command("run", "--isolation", "vm", "--workspace", ws, os.path.join(ws, "hello.sh")),
                             input="typed\n", capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env)
        self.assertEqual((run.returncode, run.stdout), (4, "vm got typed\n"), run.stderr)

        # doctor probes KVM for real (no AIRLOCK_VM_ACCEL) and says which accelerator runs.
        del env["AIRLOCK_VM_ACCEL"]
        doctor = subprocess.run(server_command("doctor", "--json"), capture_output=True, text=True, timeout=60, env=env)
        report = json.loads(doctor.stdout)
        vm = next(i for i in report["isolation"] if i["name"] == "vm")
        self.assertTrue(vm["available"], vm)
        names = [p["name"] for p in report["protections"] if p["isolation"] == "vm"]
        accelerators = [n for n in names if n.startswith("accelerator: ")]
        self.assertEqual(len(accelerators), 1, names)
        self.assertIn(accelerators[0], ("accelerator: kvm", "accelerator: tcg"))
        pool = next(p for p in report["protections"] if p["isolation"] == "vm" and p["name"] == "warm pool")
        self.assertEqual(pool["active"], accelerators[0] == "accelerator: kvm", pool)


if __name__ == "__main__":
    unittest.main()
