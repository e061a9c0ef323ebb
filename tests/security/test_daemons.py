"""Processes that try to outlive their run: a new session, the double fork, nohup with signals ignored. Nothing
of a run may survive its end, whether the program ended, the run was cancelled, or the server was killed."""

import os
import signal
import unittest

from airlock_client import AttackTestCase, processes_with_marker, unique_marker, wait_until


class Daemons(AttackTestCase):
    def setUp(self):
        super().setUp()
        self.marker = unique_marker()
        self.addCleanup(lambda: [os.kill(pid, signal.SIGKILL) for pid in processes_with_marker(self.marker)])

    def assertNoneLeft(self):
        self.assertTrue(wait_until(lambda: not processes_with_marker(self.marker), timeout=5),
                        f"processes outlived the run: {processes_with_marker(self.marker)}")

    def assertDaemonDiesWithTheRun(self, attack):
        run = self.attack(attack, self.marker)
        self.assertHeld(run, {"daemon": "started"})
        self.assertEqual(run.result["status"], "ok", run.result)
        self.assertNoneLeft()
        self.assertStillServes()

    def test_new_session(self):
        self.assertDaemonDiesWithTheRun("daemon_setsid.sh")

    def test_double_fork(self):
        self.assertDaemonDiesWithTheRun("daemon_double_fork.c")

    def test_nohup_ignoring_signals(self):
        self.assertDaemonDiesWithTheRun("daemon_nohup.sh")

    def start_lingering_run(self):
        ws = self.attack_workspace("daemon_then_wait.sh")
        request = self.server.start_request("sandbox/execute", {
            "workspaceFolder": ws, "file": "daemon_then_wait.sh", "language": "bash", "runId": "lingering",
            "args": [self.marker], "limits": self.limits})
        self.server.wait_notification(lambda m: m.get("method") == "sandbox/output"
                                      and m["params"]["runId"] == "lingering" and "daemon started" in m["params"]["text"])
        self.assertTrue(wait_until(lambda: len(processes_with_marker(self.marker)) == 2))
        return request

    def test_cancelled_run(self):
        request = self.start_lingering_run()
        self.assertEqual(self.server.request("sandbox/cancel", {"runId": "lingering"})["result"], {"cancelled": True})
        self.assertEqual(self.server.wait_response(request)["result"]["status"], "cancelled")
        self.assertNoneLeft()

    def test_killed_server(self):
        self.start_lingering_run()
        os.kill(self.server.proc.pid, signal.SIGKILL)
        self.server.proc.wait()
        self.assertNoneLeft()


if __name__ == "__main__":
    unittest.main()
