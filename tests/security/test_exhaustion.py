"""Resource exhaustion with small limits: fork bombs, memory bombs, disk fill, millions of small files, output
floods, CPU spins, descriptor hoarding and a program that never ends. Each run must end within its limit with
the right status, leave no process behind, and the server must keep serving with bounded memory. Bombs only run
while `airlock doctor` reports the limit that holds them, as this machine is shared."""

import os
import threading
import time
import unittest

from airlock_client import (AttackTestCase, processes_with_marker, protection_detail, requires_protection, unique_marker,
                            wait_until)

# Runs that a limit other than time must end get a long time limit, so that a loaded machine (CPU time grows
# slowly when the cores are shared) still shows which limit ended them; bombs that only time ends get a short one.
TIMEOUT_MS = 10000
BOMB_TIMEOUT_MS = 3000
MAX_PROCESSES = 32
DISK_MB = 16
OUTPUT_BYTES = 64 * 1024
# The server's own peak memory after an attack: what it needs to serve, not what the attack used.
SERVER_MEMORY_KB = 64 * 1024
# How much longer than its time limit a run may take to be stopped and reported.
GRACE_MS = 2000
# One CPU second, and wall time enough for it on a machine whose other work leaves the spin a fraction of a core.
CPU_LIMITS = {"cpuSeconds": 1, "timeoutMs": 30000}


class Exhaustion(AttackTestCase):
    limits = {"timeoutMs": TIMEOUT_MS, "memoryMB": 64, "maxProcesses": MAX_PROCESSES, "diskMB": DISK_MB,
              "outputBytes": OUTPUT_BYTES}

    def assertEndedByLimit(self, run, limit):
        # Status "limit", not "timeout": the limit ended the run before its time was up.
        self.assertEqual((run.result["status"], run.result["limit"]), ("limit", limit), run.result)

    def assertServerHealthy(self):
        self.assertStillServes()
        self.assertLess(self.server.peak_memory_kb(), SERVER_MEMORY_KB)

    def assertNoneLeft(self, marker):
        self.assertTrue(wait_until(lambda: not processes_with_marker(marker), timeout=5),
                        f"processes outlived the run: {processes_with_marker(marker)}")

    def count_while_running(self, marker, samples):
        """Samples how many processes carry `marker` until the run's response arrives."""
        def sample():
            while not self.finished.is_set():
                samples.append(len(processes_with_marker(marker)))
                time.sleep(0.05)
        self.finished = threading.Event()
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        return sampler

    @requires_protection("process limit")
    def test_fork_bomb(self):
        marker, samples = unique_marker(), []
        self.addCleanup(lambda: [os.kill(pid, 9) for pid in processes_with_marker(marker)])
        sampler = self.count_while_running(marker, samples)
        try:
            run = self.attack("fork_bomb.sh", marker, limits={"timeoutMs": BOMB_TIMEOUT_MS})
        finally:
            self.finished.set()
            sampler.join()
        # The bomb ends with its first process; or, on a machine too busy to let that process end in time, by the
        # time limit or the process limit. A cgroup counts every refused fork, so its result notes the limit met;
        # under RLIMIT_NPROC, only a bomb still at the limit when its first process ends is noted.
        if run.result["status"] == "ok":
            if "every refused fork is recorded" in protection_detail("process limit"):
                self.assertIn(f"limit of {MAX_PROCESSES} processes", run.result.get("message", ""), run.result)
        else:
            self.assertIn((run.result["status"], run.result["limit"]), [("timeout", None), ("limit", "processes")])
        self.assertLess(run.result["durationMs"], BOMB_TIMEOUT_MS + GRACE_MS)
        self.assertLessEqual(max(samples), MAX_PROCESSES)
        self.assertNoneLeft(marker)
        self.assertServerHealthy()

    @requires_protection("process limit")
    def test_forking_until_refused(self):
        run = self.attack("fork_until_refused.c")
        self.assertEqual(run.verdicts.get("fork"), "EAGAIN", run.stdout + run.stderr)
        self.assertLess(int(run.verdicts["children"]), MAX_PROCESSES)
        self.assertEqual(run.result["status"], "ok")
        self.assertServerHealthy()

    @requires_protection("memory limit")
    def test_memory_bomb(self):
        run = self.attack("memory_bomb.py")
        self.assertEndedByLimit(run, "memory")
        self.assertServerHealthy()

    @requires_protection("disk limit")
    def test_disk_fill(self):
        run = self.attack("disk_fill.sh")
        self.assertEqual({probe: run.verdicts.get(probe) for probe in ["fill:/tmp", "fill:home", "fill:/dev/shm"]},
                         {"fill:/tmp": "ENOSPC", "fill:home": "ENOSPC", "fill:/dev/shm": "ENOSPC"}, run.stdout)
        self.assertLessEqual(int(run.verdicts["total-bytes"]), DISK_MB << 20)
        self.assertEqual(run.result["status"], "ok")
        self.assertServerHealthy()

    @requires_protection("disk limit")
    def test_millions_of_small_files(self):
        run = self.attack("small_files.py")
        self.assertEqual(run.verdicts.get("create"), "ENOSPC", run.result)
        self.assertEqual(run.result["status"], "ok")
        self.assertServerHealthy()

    @requires_protection("output limit")
    def test_output_flood(self):
        run = self.attack("output_flood.py")
        self.assertEndedByLimit(run, "output")
        self.assertTrue(run.result["truncated"])
        self.assertLessEqual(len((run.stdout + run.stderr).encode()), OUTPUT_BYTES)
        self.assertServerHealthy()

    @requires_protection("cpu limit")
    def test_cpu_spin(self):
        run = self.attack("cpu_spin.py", limits=CPU_LIMITS)
        self.assertEndedByLimit(run, "cpu")
        self.assertServerHealthy()

    @requires_protection("cpu limit")
    def test_cpu_spin_ignoring_sigxcpu(self):
        run = self.attack("cpu_spin_ignoring_sigxcpu.c", limits=CPU_LIMITS)
        self.assertEndedByLimit(run, "cpu")
        self.assertServerHealthy()

    @requires_protection("open files limit")
    def test_descriptor_hoarding(self):
        run = self.attack("open_files.py")
        self.assertEqual(run.verdicts.get("open"), "EMFILE", run.stdout + run.stderr)
        self.assertLessEqual(int(run.verdicts["descriptors"]), 1024)
        self.assertServerHealthy()

    def test_program_that_never_ends(self):
        marker = unique_marker()
        self.addCleanup(lambda: [os.kill(pid, 9) for pid in processes_with_marker(marker)])
        run = self.attack("sleep_forever.sh", marker, limits={"timeoutMs": 1500})
        self.assertEqual(run.result["status"], "timeout", run.result)
        self.assertGreaterEqual(run.result["durationMs"], 1500)
        self.assertLess(run.result["durationMs"], 1500 + GRACE_MS)
        self.assertNoneLeft(marker)
        self.assertServerHealthy()


if __name__ == "__main__":
    unittest.main()
