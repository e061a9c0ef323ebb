"""Faults: the client vanishes, the server is killed, the disk is full, the interpreter is missing. Every sandbox
dies within a second, nothing of a run outlives what it should, and every failure is a clear error, not a hang."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from airlock_client import (Server, ServerTestCase, config_file, host_state, make_workspace, processes_with_marker,
                            seconds_until, server_footprint, tree_snapshot, unique_marker, wait_until)
from vanishing_client import SLEEPERS_PER_RUN, busy_tree, sleepers

RUNS = 4
# How fast every sandbox must be gone once its server or client is.
DEATH_DEADLINE = 1.0


def process_ended(pid):
    """Gone, or a zombie nobody has reaped yet (an orphaned server is reaped by whoever adopts it)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def skip_without_overlay(server):
    if "overlay" not in server.capabilities["sandbox"]["workspaceModes"]:
        raise unittest.SkipTest("this server has no overlay workspaces")


class Deadlines(unittest.TestCase):
    def setUp(self):
        self.workspace = make_workspace()
        self.addCleanup(shutil.rmtree, self.workspace, True)

    def start_busy_runs(self, server, workspace, marker):
        for n in range(RUNS):
            server.start_request("sandbox/execute", {"workspaceFolder": workspace, "runId": f"busy{n}",
                                                     "command": busy_tree(marker)})
        self.assertTrue(wait_until(lambda: len(sleepers(marker)) >= RUNS * (SLEEPERS_PER_RUN + 1), timeout=30),
                        server.read_log())

    def assert_sandboxes_die_in_time(self, marker):
        took = seconds_until(lambda: processes_with_marker(marker) == [], timeout=10)
        self.assertIsNotNone(took, f"sandbox processes survive: {processes_with_marker(marker)}")
        self.assertLess(took, DEATH_DEADLINE, f"the sandboxes took {took:.3f} s to die")

    def test_client_closing_stdin_kills_every_sandbox_within_a_second(self):
        workspace = self.workspace
        marker = unique_marker()
        server = Server()
        try:
            self.start_busy_runs(server, workspace, marker)
            server.proc.stdin.close()
            self.assert_sandboxes_die_in_time(marker)
            self.assertEqual(server.proc.wait(timeout=10), 1)
        finally:
            server.close()

    def test_killed_client_takes_every_sandbox_and_the_server_along_within_a_second(self):
        workspace = self.workspace
        marker = unique_marker()
        client = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "vanishing_client.py"),
                                   marker, workspace, str(RUNS)], stdout=subprocess.PIPE, text=True)
        try:
            server_pid = int(client.stdout.readline())
            client.kill()
            client.wait()
            self.assert_sandboxes_die_in_time(marker)
            self.assertTrue(wait_until(lambda: process_ended(server_pid), timeout=10),
                            "the server outlived its client")
        finally:
            client.kill()
            client.wait()
            client.stdout.close()

    def test_killed_server_takes_every_sandbox_along_within_a_second(self):
        workspace = self.workspace
        marker = unique_marker()
        server = Server()
        try:
            self.start_busy_runs(server, workspace, marker)
            # One more run whose program left its session and its parent, as daemons do.
            daemon = (f"import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                      f"        os.execvp('sleep', ['sleep', '{marker}'])\n    os._exit(0)\nos.wait()\n"
                      f"os.execvp('sleep', ['sleep', '{marker}'])\n")
            server.start_request("sandbox/execute", {"workspaceFolder": workspace, "runId": "daemon",
                                                     "code": daemon, "language": "python"})
            expected = RUNS * (SLEEPERS_PER_RUN + 1) + 2
            self.assertTrue(wait_until(lambda: len(sleepers(marker)) >= expected, timeout=30), server.read_log())
            server.proc.kill()
            self.assert_sandboxes_die_in_time(marker)
        finally:
            server.close()


class Leftovers(ServerTestCase):
    """What a killed server leaves behind, and what the next one finds."""

    def start_server(self):
        self.server_tmp = tempfile.mkdtemp(prefix="airlock-faults-tmp-")
        os.chmod(self.server_tmp, 0o777)
        return self.server_with_own_tmp()

    def server_with_own_tmp(self):
        return Server(env={"PATH": "/usr/bin:/bin", "TMPDIR": self.server_tmp})

    def test_a_killed_server_leaves_nothing_and_the_next_start_is_clean(self):
        skip_without_overlay(self.server)
        workspace = self.workspace({"keep.txt": "as it was\n"}, writable=True)
        before = tree_snapshot(workspace)
        marker = unique_marker()
        baseline = server_footprint(self.server)
        self.server.start_request("sandbox/execute", {
            "workspaceFolder": workspace, "runId": "half-done", "policy": {"workspace": "overlay"},
            "command": ["sh", "-c", "echo changed > keep.txt; echo new > new.txt; echo written; sleep $0", marker]})
        self.server.wait_notification(lambda m: m["method"] == "sandbox/output" and "written" in m["params"]["text"])
        self.server.proc.kill()
        self.server.proc.wait()
        self.assertTrue(wait_until(lambda: processes_with_marker(marker) == []))
        self.assertEqual(tree_snapshot(workspace), before, "an overlay run's writes reached the workspace")
        self.assertEqual(os.listdir(self.server_tmp), [])
        self.assertEqual(host_state()["mounts"], baseline["mounts"])
        self.server.close()

        self.server = self.server_with_own_tmp()
        response = self.server.request("sandbox/applyChanges", {"runId": "half-done"})
        self.assertEqual(response.get("error", {}).get("code"), -32602, response)
        response, out, _ = self.server.execute(workspaceFolder=workspace, command=["cat", "keep.txt"])
        self.assertEqual((response["result"]["status"], out), ("ok", "as it was\n"))

    def test_a_discarded_or_abandoned_layer_releases_everything(self):
        skip_without_overlay(self.server)
        workspace = self.workspace({"keep.txt": "as it was\n"}, writable=True)
        before = tree_snapshot(workspace)
        self.server.execute(workspaceFolder=workspace, command=["true"])
        baseline = server_footprint(self.server)
        for run_id in ("discarded", "abandoned"):
            response, _, err = self.server.execute(workspaceFolder=workspace, runId=run_id,
                                                   policy={"workspace": "overlay"},
                                                   command=["sh", "-c", "echo new > new.txt; rm keep.txt"])
            self.assertEqual(response["result"]["status"], "ok", err)
            self.assertEqual(sorted(c["path"] for c in response["result"]["changes"]), ["keep.txt", "new.txt"])
        self.assertIsNone(self.server.request("sandbox/discardChanges", {"runId": "discarded"})["result"])
        self.assertEqual(self.server.request("sandbox/applyChanges", {"runId": "discarded"}).get("error", {}).get("code"),
                         -32602)
        # The abandoned layer goes with the session: the client goes away without reviewing it.
        self.server.proc.stdin.close()
        self.assertEqual(self.server.proc.wait(timeout=10), 1)
        self.assertEqual(tree_snapshot(workspace), before)
        self.assertEqual(os.listdir(self.server_tmp), [])
        self.assertEqual(host_state()["mounts"], baseline["mounts"])


def full_disk_launcher(folder):
    """Starts the server in a mount namespace of its own where `folder` is a tmpfs holding only a file that fills
    it, and where the disk under its log file is full too (/dev/full answers every write with ENOSPC). Needs root."""
    script = ('mount -t tmpfs -o size=64k,mode=0777 airlock-full-disk "$0" && '
              '{ head -c 1M /dev/zero > "$0/filler" 2>/dev/null || true; } && '
              'for arg; do [ "$previous" != --log-file ] || mount --bind /dev/full "$arg" || exit; previous=$arg; done && '
              'exec "$@"')
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, folder]


@unittest.skipUnless(os.geteuid() == 0, "a full filesystem is mounted for the server, which needs root")
class FullDisk(unittest.TestCase):
    def setUp(self):
        self.workspace = make_workspace()
        self.addCleanup(shutil.rmtree, self.workspace, True)
        self.server = Server(launcher=full_disk_launcher(self.workspace))

    def tearDown(self):
        self.server.close()

    def test_the_server_serves_while_its_log_cannot_be_written(self):
        for n in range(3):
            response, out, _ = self.server.execute(workspaceFolder=self.workspace, command=["echo", f"served {n}"])
            self.assertEqual((response.get("result", {}).get("status"), out), ("ok", f"served {n}\n"), response)

    def test_writing_to_a_full_workspace_fails_clearly_and_at_once(self):
        started = time.monotonic()
        response, _, err = self.server.execute(timeout=20, workspaceFolder=self.workspace,
                                               policy={"workspace": "readwrite"},
                                               command=["sh", "-c", "head -c 100000 /dev/zero > out.bin"])
        self.assertEqual(response["result"]["status"], "failed", err)
        self.assertIn("No space left on device", err)
        self.assertLess(time.monotonic() - started, 10)

    def test_applying_changes_to_a_full_workspace_is_a_clear_error_and_leaves_no_temporary_files(self):
        skip_without_overlay(self.server)
        response, _, err = self.server.execute(workspaceFolder=self.workspace, runId="big", policy={"workspace": "overlay"},
                                               command=["sh", "-c", "head -c 200000 /dev/zero > big.bin"])
        self.assertEqual(response.get("result", {}).get("status"), "ok", (response, err))
        applied = self.server.request("sandbox/applyChanges", {"runId": "big"}, timeout=20)["result"]
        self.assertEqual((applied["applied"], [f["path"] for f in applied["failed"]]), ([], ["big.bin"]), applied)
        self.assertIn("No space left on device", applied["failed"][0]["message"])
        response, out, _ = self.server.execute(workspaceFolder=self.workspace, command=["ls", "-A"])
        self.assertEqual(out.split(), ["filler"])


class MissingInterpreter(ServerTestCase):
    def start_server(self):
        return Server("--config", config_file(self, {
            "languages": {"ruby": {"extensions": [".rb"], "steps": [["no-such-ruby-airlock", "{file}"]]}}}))

    def test_a_configured_language_whose_interpreter_is_missing_is_a_clear_error(self):
        response, _, _ = self.server.execute(timeout=20, workspaceFolder=self.workspace(), code="puts 1",
                                             language="ruby")
        self.assertEqual(response["result"]["status"], "error", response)
        self.assertIn("no-such-ruby-airlock", response["result"]["message"])
        self.assertIn("not found", response["result"]["message"])

    def test_a_script_whose_interpreter_is_missing_is_a_clear_error(self):
        workspace = self.workspace({"run.sh": "#!/usr/bin/no-such-shell-airlock\necho never\n"})
        os.chmod(os.path.join(workspace, "run.sh"), 0o755)
        response, out, _ = self.server.execute(timeout=20, workspaceFolder=workspace, command=["./run.sh"])
        self.assertEqual(response["result"]["status"], "error", response)
        self.assertIn("interpreter", response["result"]["message"])
        self.assertEqual(out, "")


if __name__ == "__main__":
    unittest.main()
