"""Soak: long series of sequential and concurrent runs leave the server as they found it: no leaked descriptors,
processes, mounts or temporary files, and no memory growth.

CI runs a short version; AIRLOCK_SOAK_SEQUENTIAL=1000 AIRLOCK_SOAK_CONCURRENT=50 runs the full one.
"""

import json
import os
import shutil
import tempfile
import unittest

from airlock_client import (Server, ServerTestCase, processes_with_marker, server_footprint, unique_marker,
                            wait_until)

SEQUENTIAL_RUNS = int(os.environ.get("AIRLOCK_SOAK_SEQUENTIAL", "240"))
CONCURRENT_RUNS = int(os.environ.get("AIRLOCK_SOAK_CONCURRENT", "50"))
WARM_UP_RUNS = 30
# Resident memory the server may gain over the second half of the sequential runs: the allocator does not hand
# every freed page back at once, but a leak of a run's buffers (two 64 KiB chunks) would show within a few runs.
ALLOWED_GROWTH_KIB = 384


class Soak(ServerTestCase):
    def start_server(self):
        # Its own temporary folder and a config that lets every concurrent run start at once.
        self.server_tmp = tempfile.mkdtemp(prefix="airlock-soak-tmp-")
        os.chmod(self.server_tmp, 0o777)
        self.config = os.path.join(self.server_tmp, "config.json")
        with open(self.config, "w") as f:
            json.dump({"maxConcurrentRuns": CONCURRENT_RUNS}, f)
        os.chmod(self.config, 0o644)
        self.marker = unique_marker()
        return Server("--config", self.config, env={"PATH": "/usr/bin:/bin", "TMPDIR": self.server_tmp})

    def tearDown(self):
        super().tearDown()
        shutil.rmtree(self.server_tmp, ignore_errors=True)

    def run_kind(self, n):
        """One of the run shapes the server meets: output on both streams, a failure, a snippet, now and then a
        timeout. Returns the params, the expected status and the expected (stdout, stderr) when it is known."""
        kind = n % 8
        if kind == 5:
            code = f"import sys\nprint('run {n}')\nsys.stderr.write('err {n}\\n')"
            return {"code": code, "language": "python"}, "ok", (f"run {n}\n", f"err {n}\n")
        if kind == 6:
            return {"command": ["sh", "-c", "exit 3", self.marker]}, "failed", ("", "")
        if n % 40 == 7:
            return {"command": ["sleep", "30", self.marker], "limits": {"timeoutMs": 100}}, "timeout", None
        command = ["sh", "-c", "echo run $1; echo err $1 >&2", self.marker, str(n)]
        return {"command": command}, "ok", (f"run {n}\n", f"err {n}\n")

    def run_sequentially(self, workspace, first, count):
        for n in range(first, first + count):
            params, status, output = self.run_kind(n)
            response, out, err = self.server.execute(workspaceFolder=workspace, runId=f"s{n}", **params)
            self.assertEqual(response.get("result", {}).get("status"), status, (n, response, err))
            if output is not None:
                self.assertEqual((out, err), output, n)

    def assert_nothing_left(self, baseline):
        self.assertTrue(wait_until(lambda: processes_with_marker(self.marker) == []),
                        f"processes of finished runs survive: {processes_with_marker(self.marker)}")
        self.assertEqual(server_footprint(self.server), baseline)
        self.assertEqual(os.listdir(self.server_tmp), ["config.json"])

    def test_sequential_then_concurrent_runs_leak_nothing(self):
        workspace = self.workspace()
        self.run_sequentially(workspace, 0, WARM_UP_RUNS)
        baseline = server_footprint(self.server)

        half = SEQUENTIAL_RUNS // 2
        self.run_sequentially(workspace, WARM_UP_RUNS, half)
        rss_half_kib = self.server.rss_kib()
        self.run_sequentially(workspace, WARM_UP_RUNS + half, SEQUENTIAL_RUNS - half)
        growth_kib = self.server.rss_kib() - rss_half_kib
        self.assertLess(growth_kib, ALLOWED_GROWTH_KIB,
                        f"the server grew by {growth_kib} KiB over {SEQUENTIAL_RUNS - half} runs")
        self.assert_nothing_left(baseline)

        lines = 500
        requests = {}
        for n in range(CONCURRENT_RUNS):
            requests[n] = self.server.start_request("sandbox/execute", {
                "workspaceFolder": workspace, "runId": f"c{n}",
                "command": ["sh", "-c", f"i=0; while [ $i -lt {lines} ]; do echo c{n} $i; i=$((i+1)); done",
                            self.marker]})
        for n, request in requests.items():
            response = self.server.wait_response(request, timeout=120)
            self.assertEqual(response.get("result", {}).get("status"), "ok", response)
            self.assertEqual(self.server.output(f"c{n}"), "".join(f"c{n} {i}\n" for i in range(lines)))
        self.assert_nothing_left(baseline)


if __name__ == "__main__":
    unittest.main()
