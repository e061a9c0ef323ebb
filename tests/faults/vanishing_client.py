"""A client that starts busy runs, says so, then waits to be killed: the fault tests kill it (SIGKILL), as an
editor that crashes would vanish. Prints the server's pid once every run's processes are up.

Usage: vanishing_client.py MARKER WORKSPACE RUNS
"""

import sys
import time

from airlock_client import Server, processes_with_marker, wait_until

SLEEPERS_PER_RUN = 2


def busy_tree(marker):
    """A run whose tree has sleepers (found by `marker`) and a busy loop."""
    return ["sh", "-c", f"for i in $(seq {SLEEPERS_PER_RUN}); do sleep $0 & done; (while :; do :; done) & sleep $0",
            marker]


def main():
    marker, workspace, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    server = Server()
    for n in range(runs):
        server.start_request("sandbox/execute", {"workspaceFolder": workspace, "runId": f"vanish{n}",
                                                 "command": busy_tree(marker)})
    if not wait_until(lambda: len(sleepers(marker)) >= runs * (SLEEPERS_PER_RUN + 1), timeout=30):
        sys.exit(f"the runs did not start: {server.read_log()}")
    print(server.proc.pid, flush=True)
    time.sleep(600)


def sleepers(marker):
    """The `sleep` processes of busy_tree(marker) that still run."""
    found = []
    for pid in processes_with_marker(marker):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() == "sleep":
                    found.append(pid)
        except OSError:
            pass
    return found


if __name__ == "__main__":
    main()
