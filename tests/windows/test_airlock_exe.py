"""airlock.exe under Wine, driven like an editor drives it: the protocol over stdio with the project's own client
(tests/lib/airlock_client.py), `doctor` and `wsb`. Wine has neither AppContainers nor the Host Compute Service, so
every run must be refused with -32010 and its cause, and nothing may run unsandboxed.

Needs AIRLOCK_BIN (airlock.exe), AIRLOCK_WINE_RUNNER (tests/windows/run-under-wine, which fails on any crash Wine
reports) and WINEPREFIX.
"""

import json
import os
import subprocess
import tempfile
import unittest

from airlock_client import Server, frame, make_workspace

SANDBOX_UNAVAILABLE = -32010
RUNNER = os.environ["AIRLOCK_WINE_RUNNER"]
WINE_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": os.environ.get("HOME", "/root"),
    "WINEPREFIX": os.environ["WINEPREFIX"],
}


def windows_path(path):
    """The Windows name Wine gives a host path: its Z: drive is the host's root."""
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def airlock(*args, timeout=120):
    return subprocess.run([RUNNER, os.environ["AIRLOCK_BIN"], *args], env=WINE_ENV, capture_output=True,
                          timeout=timeout)


class ServeOverStdio(unittest.TestCase):
    def setUp(self):
        self.server = Server(launcher=(RUNNER,), env=WINE_ENV)
        self.workspace = make_workspace({"hello.py": "print('this must never run')\n"})

    def tearDown(self):
        if self.server.proc.poll() is None:
            self.server.proc.kill()
            self.server.proc.wait()

    def finish(self):
        """shutdown, then exit: the process must end with code 0 (run-under-wine turns a crash into 1)."""
        self.assertIsNone(self.server.request("shutdown")["result"])
        self.server.notify("exit")
        self.assertEqual(self.server.proc.wait(timeout=60), 0, self.server.read_log())

    def refused(self, **params):
        response = self.server.request("sandbox/execute", {"workspaceFolder": windows_path(self.workspace), **params},
                                       timeout=60)
        self.assertIn("error", response, response)
        self.assertEqual(response["error"]["code"], SANDBOX_UNAVAILABLE, response)
        return response["error"]["message"]

    def test_initialize_reports_airlock_and_no_isolation_available_under_wine(self):
        sandbox = self.server.capabilities["sandbox"]
        self.assertEqual(sandbox["isolation"], [])
        self.assertIn("python", sandbox["languages"])
        self.finish()

    def test_process_isolation_is_refused_with_the_cause_and_the_fix(self):
        message = self.refused(code="print(1)", language="python", policy={"isolation": "process"})
        self.assertIn("AppContainer", message)
        self.assertIn("Fix:", message)
        self.finish()

    def test_vm_isolation_is_refused_naming_computecore(self):
        message = self.refused(file="hello.py", policy={"isolation": "vm", "workspace": "readonly"})
        self.assertIn("computecore.dll", message)
        self.assertIn("Hyper-V", message)
        self.finish()

    def test_a_refused_run_starts_nothing_and_sends_no_output(self):
        self.refused(command=["cmd.exe", "/c", "echo unsandboxed"], runId="r1")
        self.assertEqual(self.server.run_notifications("r1"), [])
        self.finish()

    def test_a_malformed_frame_is_answered_and_the_server_goes_on(self):
        self.server.send_raw(frame(b'{"jsonrpc": "2.0", "id": 5, "method": '))
        self.assertEqual(self.server.wait_response(None)["error"]["code"], -32700)
        self.assertIsNone(self.server.request("shutdown")["result"])
        self.server.notify("exit")
        self.assertEqual(self.server.proc.wait(timeout=60), 0)

    def test_end_of_input_ends_the_server_with_code_1(self):
        self.server.proc.stdin.close()
        self.assertEqual(self.server.proc.wait(timeout=60), 1, self.server.read_log())


class Doctor(unittest.TestCase):
    def test_reports_hcs_appcontainer_job_object_and_pseudoconsole(self):
        result = airlock("doctor", "--json")
        self.assertEqual(result.returncode, 1, result.stderr.decode(errors="replace"))
        report = json.loads(result.stdout)
        isolation = {entry["name"]: entry for entry in report["isolation"]}
        self.assertFalse(isolation["process"]["available"])
        self.assertFalse(isolation["vm"]["available"])
        protections = {entry["name"]: entry for entry in report["protections"]}
        self.assertFalse(protections["AppContainer"]["active"])
        self.assertIn("userenv.dll", protections["AppContainer"]["detail"])
        self.assertFalse(protections["Host Compute Service"]["active"])
        self.assertIn("computecore.dll", protections["Host Compute Service"]["detail"])
        self.assertIn("Job Object", protections)
        # Wine 8 has the pseudoconsole API (its conhost.exe serves it), as Windows 10 1809 and later do.
        pseudo_console = protections["pseudoconsole (ConPTY)"]
        self.assertEqual(pseudo_console["isolation"], "process")
        self.assertTrue(pseudo_console["active"])
        self.assertIn("CreatePseudoConsole", pseudo_console["detail"])

    def test_text_report_names_the_pseudoconsole(self):
        result = airlock("doctor")
        self.assertEqual(result.returncode, 1, result.stderr.decode(errors="replace"))
        lines = result.stdout.decode().splitlines()
        console = [line for line in lines if "pseudoconsole (ConPTY)" in line]
        self.assertEqual(len(console), 1, lines)
        self.assertIn("[ ok ]", console[0])
        self.assertIn("CreatePseudoConsole", console[0])


class WindowsSandboxConfig(unittest.TestCase):
    def test_writes_a_wsb_that_maps_the_workspace_read_only_without_network(self):
        with tempfile.TemporaryDirectory() as folder:
            workspace = os.path.join(folder, "project")
            os.mkdir(workspace)
            output = os.path.join(folder, "project.wsb")
            result = airlock("wsb", "--workspace", windows_path(workspace), "--output", windows_path(output))
            self.assertEqual(result.returncode, 0, result.stderr.decode(errors="replace"))
            with open(output) as f:
                config = f.read()
        self.assertIn("<Networking>Disable</Networking>", config)
        self.assertIn("<VGpu>Disable</VGpu>", config)
        self.assertIn(f"<HostFolder>{windows_path(workspace)}</HostFolder>", config)
        self.assertIn("<ReadOnly>true</ReadOnly>", config)

    def test_a_relative_workspace_is_refused(self):
        result = airlock("wsb", "--workspace", "project")
        self.assertEqual(result.returncode, 2)
        self.assertIn(b"not an absolute Windows path", result.stderr)


if __name__ == "__main__":
    unittest.main()
