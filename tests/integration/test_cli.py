"""The command line: `airlock run` streams, forwards stdin, keeps exit codes and cancels on Ctrl-C; `doctor` reports."""

import json
import os
import signal
import subprocess
import time
import unittest

from airlock_client import (USER_NAMESPACES_FORBIDDEN, airlock_binary, as_server_user, make_workspace,
                            processes_with_marker, server_command, unique_marker, wait_until)


def airlock(*args, **kwargs):
    return subprocess.run(server_command(*args), capture_output=True, text=True, timeout=60, **kwargs)


class Run(unittest.TestCase):
    def setUp(self):
        self.ws = make_workspace({"hello.py": "import sys\nprint('hi', sys.argv[1:])\nsys.exit(3)\n",
                                  "echo.sh": "read line\necho \"got $line\"\n"})

    def test_workspace_file_exit_code_and_args(self):
        result = airlock("run", "--workspace", self.ws, os.path.join(self.ws, "hello.py"), "--", "a", "b")
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertEqual(result.stdout, "hi ['a', 'b']\n")

    def test_program_from_stdin(self):
        result = airlock("run", "--lang", "bash", "--workspace", self.ws, "-", input="echo from-stdin; exit 0\n")
        self.assertEqual((result.returncode, result.stdout), (0, "from-stdin\n"))

    def test_stdin_is_forwarded(self):
        result = airlock("run", "--workspace", self.ws, os.path.join(self.ws, "echo.sh"), input="typed\n")
        self.assertEqual((result.returncode, result.stdout), (0, "got typed\n"))

    def test_timeout_exit_code(self):
        result = airlock("run", "--lang", "sh", "--workspace", self.ws, "--timeout-ms", "300", "-", input="sleep 30\n")
        self.assertEqual(result.returncode, 124)
        self.assertIn("timeout", result.stderr)

    def test_ctrl_c_cancels_the_whole_tree(self):
        proc = subprocess.Popen(server_command("run", "--lang", "sh", "--workspace", self.ws, "-"),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        marker = unique_marker()
        proc.stdin.write(f"(setsid sleep {marker} &) ; echo started; sleep {marker}\n")
        proc.stdin.close()
        self.assertEqual(proc.stdout.readline(), "started\n")
        self.assertTrue(wait_until(lambda: len(processes_with_marker(marker)) == 2))
        os.kill(proc.pid, signal.SIGINT)
        self.assertEqual(proc.wait(timeout=10), 130)
        self.assertEqual(processes_with_marker(marker), [])
        proc.stdout.close()
        proc.stderr.close()

    def test_overlay_changes_are_named_and_kept_only_with_apply(self):
        ws = make_workspace({"write.sh": "echo made > made.txt\n"}, writable=True)
        made = os.path.join(ws, "made.txt")
        result = airlock("run", "--workspace", ws, os.path.join(ws, "write.sh"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("not applied (overlay workspace): made.txt", result.stderr)
        self.assertFalse(os.path.exists(made))
        result = airlock("run", "--apply", "--workspace", ws, os.path.join(ws, "write.sh"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("applied made.txt", result.stderr)
        with open(made) as f:
            self.assertEqual(f.read(), "made\n")

    def test_bad_usage(self):
        self.assertEqual(airlock("run").returncode, 2)
        self.assertEqual(airlock("run", "--lang", "python", "--bogus", "x").returncode, 2)
        self.assertEqual(airlock("frobnicate").returncode, 2)


class Doctor(unittest.TestCase):
    def test_doctor_reports_process_isolation(self):
        result = airlock("doctor", "--json")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        report = json.loads(result.stdout)
        self.assertEqual(report["isolation"][0]["name"], "process")
        self.assertTrue(report["isolation"][0]["available"])
        names = {p["name"]: p["active"] for p in report["protections"]}
        self.assertTrue(names["user namespace"])
        text = airlock("doctor")
        self.assertIn("available", text.stdout)

    @unittest.skipUnless(os.geteuid() == 0, "the launcher that forbids user namespaces sets the user, which needs root")
    def test_doctor_says_why_process_isolation_is_unavailable_and_the_fix(self):
        result = subprocess.run([*as_server_user(), *USER_NAMESPACES_FORBIDDEN, airlock_binary(), "doctor", "--json"],
                                capture_output=True, text=True, timeout=60)
        levels = json.loads(result.stdout)["isolation"]
        # Other levels (a VM) may still be available for this user; with none, doctor fails.
        self.assertEqual(result.returncode, 0 if any(level["available"] for level in levels) else 1, result.stderr)
        process = levels[0]
        self.assertEqual((process["name"], process["available"]), ("process", False))
        self.assertIn("user.max_user_namespaces=0", process["reason"])
        self.assertIn("Fix: ", process["reason"])


if __name__ == "__main__":
    unittest.main()
