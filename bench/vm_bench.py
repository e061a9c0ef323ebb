#!/usr/bin/env python3
"""Isolation "vm" figures: boot to first output, a whole run, and QEMU's host memory per VM, next to the same
runs under isolation "process" in the same invocation, and runs that take a pre-booted VM from a server's warm
pool (vmPoolSize 1). Drives the real server over the protocol.

Usage: bench/vm_bench.py [--airlock build/airlock] [--runs 5] [--accel tcg|kvm|probe] [--settle 10]
The accelerator defaults to tcg (what these machines can run); `probe` lets the server choose as it would.
--settle: seconds a warm-pool run waits before it starts, so the VM that replaced the last one has booted.
Prints a Markdown table.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lib"))
from airlock_client import Server  # noqa: E402


def qemu_rss_kib(server_pid):
    """Resident memory of the server's QEMU children, in KiB."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
            if parent != server_pid:
                continue
            with open(f"/proc/{pid}/status") as f:
                status = dict(line.split(":", 1) for line in f)
            if status["Name"].strip().startswith("qemu-system"):
                total += int(status["VmRSS"].split()[0])
        except (OSError, KeyError, ValueError, IndexError):
            continue
    return total


def timed_run(server, workspace, isolation, command, run_id):
    """(ms to the first output, ms to the response) of one run."""
    start = time.monotonic()
    request = server.start_request("sandbox/execute", {
        "runId": run_id, "workspaceFolder": workspace, "command": command, "policy": {"isolation": isolation}})
    server.wait_notification(lambda m: m["method"] == "sandbox/output" and m["params"]["runId"] == run_id, timeout=300)
    first_output = time.monotonic()
    response = server.wait_response(request, timeout=300)
    done = time.monotonic()
    if response.get("result", {}).get("status") != "ok":
        raise SystemExit(f"vm_bench: run {run_id} failed: {response}")
    return (first_output - start) * 1000, (done - start) * 1000


def memory_of_a_vm(server, workspace):
    """QEMU's resident memory while a VM idles after its program started."""
    request = server.start_request("sandbox/execute", {
        "runId": "memory", "workspaceFolder": workspace, "command": ["sh", "-c", "echo up; exec sleep 60"],
        "policy": {"isolation": "vm"}})
    server.wait_notification(lambda m: m["method"] == "sandbox/output" and m["params"]["runId"] == "memory", timeout=300)
    time.sleep(0.5)
    rss = qemu_rss_kib(server.proc.pid)
    server.request("sandbox/cancel", {"runId": "memory"})
    server.wait_response(request, timeout=60)
    return rss


def summary(samples):
    return f"{statistics.median(samples):.0f} (min {min(samples):.0f}, max {max(samples):.0f})"


def ratio(samples, baseline):
    return f"{statistics.median(samples) / statistics.median(baseline):.1f}x"


def measure(server, workspace, isolation, command, runs, label, settle=0.0):
    firsts, totals = [], []
    for i in range(runs):
        time.sleep(settle)
        first, total = timed_run(server, workspace, isolation, command, f"{label}-{command[0]}-{i}")
        firsts.append(first)
        totals.append(total)
    return firsts, totals


def warm_pool_server(env, folder):
    config = os.path.join(folder, "config.json")
    with open(config, "w") as f:
        json.dump({"vmPoolSize": 1}, f)
    return Server("--config", config, env=env)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--airlock", default=os.path.join(os.path.dirname(__file__), "..", "build", "airlock"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--accel", default="tcg", choices=["tcg", "kvm", "probe"])
    parser.add_argument("--settle", type=float, default=10.0)
    options = parser.parse_args()
    binary = os.path.abspath(options.airlock)
    os.environ["AIRLOCK_BIN"] = binary
    env = {"PATH": "/usr/bin:/bin", "AIRLOCK_VM_IMAGE_DIR": os.path.join(os.path.dirname(binary), "vm")}
    if options.accel != "probe":
        env["AIRLOCK_VM_ACCEL"] = options.accel

    workspace = tempfile.mkdtemp(prefix="airlock-vm-bench-")
    os.chmod(workspace, 0o755)
    commands = (["echo", "hi"], ["python3", "-c", "print('hi')"])
    rows = []
    server = Server(env=env)
    try:
        process = {}
        for command in commands:
            process[command[0]] = measure(server, workspace, "process", command, options.runs, "process")
            firsts, totals = process[command[0]]
            rows.append(("process", " ".join(command), summary(firsts), summary(totals), "1x"))
        for command in commands:
            firsts, totals = measure(server, workspace, "vm", command, options.runs, "vm")
            rows.append(("vm, booted per run", " ".join(command), summary(firsts), summary(totals),
                         ratio(firsts, process[command[0]][0])))
        rss_mib = memory_of_a_vm(server, workspace) / 1024
    finally:
        server.close()
    server = warm_pool_server(env, workspace)
    try:
        for command in commands:
            firsts, totals = measure(server, workspace, "vm", command, options.runs, "warm", options.settle)
            rows.append(("vm, pre-booted (warm pool)", " ".join(command), summary(firsts), summary(totals),
                         ratio(firsts, process[command[0]][0])))
    finally:
        server.close()
        os.unlink(os.path.join(workspace, "config.json"))
        os.rmdir(workspace)

    print(f"Accelerator: {options.accel}; {options.runs} runs each; {os.cpu_count()} host CPUs; times in ms: median "
          f"(min, max); warm-pool runs start {options.settle:.0f} s after the previous one.\n")
    print("| isolation | program | to first output | whole run | first output vs process |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nQEMU resident memory of one idle VM (default 1 GiB memory limit): {rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
