"""Attacks on host processes: signalling a host process of the sandbox's own user, reading environments through
/proc, and taking over a process with ptrace or its memory. The host process must live on, unchanged."""

import os
import unittest

from airlock_client import AttackTestCase, Server, protection_active, start_host_process, unique_marker

SECRET = "airlock-host-secret-7d1f"


class HostProcesses(AttackTestCase):
    def start_server(self):
        return Server(env={"PATH": "/usr/bin:/bin", "AIRLOCK_TEST_SECRET": SECRET})

    def setUp(self):
        super().setUp()
        self.victim = start_host_process(unique_marker(), env={"PATH": "/usr/bin:/bin", "VICTIM_SECRET": SECRET})
        self.addCleanup(self.victim.wait)
        self.addCleanup(self.victim.kill)

    def assertVictimUntouched(self):
        self.assertIsNone(self.victim.poll(), "the host process died")
        self.assertEqual(os.getpriority(os.PRIO_PROCESS, self.victim.pid), 0)
        with open(f"/proc/{self.victim.pid}/status") as f:
            self.assertIn("TracerPid:\t0\n", f.read())

    def test_signals_do_not_reach_host_processes(self):
        run = self.attack("signal_host_process.c", self.victim.pid)
        self.assertHeld(run, {"kill-pid-probe": "ESRCH", "kill-pid": "ESRCH", "kill-group": "ESRCH",
                              "pidfd-open": "ESRCH", "kill-everyone": "ESRCH", "renice-own-user": "done"})
        self.assertVictimUntouched()
        self.assertIsNone(self.server.proc.poll())

    def test_environments_of_other_processes_stay_private(self):
        run = self.attack("read_host_environ.py", self.victim.pid, SECRET[::-1])
        self.assertHeld(run, {"init-environ": "EACCES", "host-process-environ": "ENOENT",
                              "secret-anywhere-in-proc": "absent", "init-cmdline": "airlock-sandbox-init"})
        self.assertNotIn(SECRET, run.stdout + run.stderr)
        self.assertVictimUntouched()

    def test_ptrace_and_process_memory(self):
        run = self.attack("ptrace_host_process.c", self.victim.pid)
        # The system call filter refuses these calls before the kernel looks the pid up.
        host_refusal = "EPERM" if protection_active("seccomp") else "ESRCH"
        expected = {f"{probe}:host": host_refusal for probe in ["ptrace-attach", "ptrace-seize", "vm-read", "vm-write"]}
        expected["proc-mem:host"] = "ENOENT"
        expected.update({f"{probe}:init": "EPERM" for probe in ["ptrace-attach", "ptrace-seize", "vm-read", "vm-write"]})
        expected["proc-mem:init"] = "EACCES"
        self.assertHeld(run, expected)
        self.assertVictimUntouched()


if __name__ == "__main__":
    unittest.main()
