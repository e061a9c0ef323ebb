#!/usr/bin/env python3
"""Renders airlock_bench's JSON results as the Markdown kept in bench/RESULTS.md and the README."""

import json
import sys


def figure(value, digits=2):
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def spread(summary, unit):
    return f"{figure(summary['median'])} {unit} | {figure(summary['p99'])} {unit}"


def start_rows(section):
    variants = section["variants"]
    rows = []
    for name, label in (("airlock", "Airlock `sandbox/execute` of /bin/true, round trip"),
                        ("bwrap", "bwrap, same namespaces and mounts"),
                        ("unshare", "unshare(1), same namespaces, no mounts"),
                        ("posix_spawn", "posix_spawn, no sandbox")):
        summary = variants.get(name)
        if summary is None:
            continue
        if "unavailable" in summary:
            rows.append(f"| Start | {label} | unavailable: {summary['unavailable']} | | |")
            continue
        ratio = "1.00" if name == "airlock" else figure(section.get(f"ratio_to_{name}", 0.0))
        rows.append(f"| Start | {label} | {spread(summary, 'ms')} | Airlock / this: {ratio} |")
    return rows


def streaming_rows(section):
    mib = section["bytes"] // (1 << 20)
    variants = section["variants"]
    server_cpu = section["server_cpu_seconds"]["median"]
    client_cpu = section["client_cpu_seconds"]["median"]
    return [
        f"| Streaming {mib} MiB | Airlock: sandbox, server, protocol, client | {spread(variants['airlock'], 'MiB/s')} | "
        f"ratio {figure(section['ratio_to_pipe'])}; CPU: server {figure(server_cpu)} s, client {figure(client_cpu)} s |",
        f"| Streaming {mib} MiB | same producer into a plain pipe | {spread(variants['pipe'], 'MiB/s')} | |",
    ]


def cancel_rows(section):
    return [f"| Cancel | sandbox/cancel of {section['processes']} busy processes until sandbox/exited | "
            f"{spread(section['variants']['airlock'], 'ms')} | |"]


def concurrency_rows(section):
    variants = section["variants"]
    runs = section["runs"]
    intact = "every byte in order" if section["output_intact"] else "OUTPUT LOST OR REORDERED"
    return [
        f"| Concurrency | {runs} runs at once, {section['lines_per_run']} lines each | "
        f"{spread(variants['concurrent'], 's')} | speedup {figure(section['speedup'])}x; {intact} |",
        f"| Concurrency | the same {runs} runs one after another | {spread(variants['sequential'], 's')} | |",
    ]


def memory_rows(measurements):
    rows = []
    memory = measurements.get("memory")
    streaming = measurements.get("streaming")
    if memory:
        rows.append(f"| Server memory | RSS idle, after initialize | {memory['server_rss_idle_kib'] / 1024:.1f} MiB | | |")
    if streaming:
        rows.append(f"| Server memory | peak RSS while streaming | {streaming['server_rss_peak_kib'] / 1024:.1f} MiB | | |")
    if memory:
        rows.append(f"| Server memory | RSS before / after {memory['runs']} runs | "
                    f"{memory['server_rss_before_kib'] / 1024:.1f} / {memory['server_rss_after_kib'] / 1024:.1f} MiB | "
                    f"| descriptors {memory['server_fds_before']} / {memory['server_fds_after']} |")
    return rows


def render(results):
    machine = results["machine"]
    measurements = results["measurements"]
    lines = [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, {machine['os']}, "
        f"Linux {machine['kernel']}; {machine['date']}" + (" (quick run: figures are not meaningful)" if results["quick"] else ""),
        "",
        "| Measurement | What | Median | p99 | Notes |",
        "|---|---|---|---|---|",
    ]
    renderers = {"start": start_rows, "streaming": streaming_rows, "cancel": cancel_rows,
                 "concurrency": concurrency_rows}
    for name, rows in renderers.items():
        if name in measurements:
            lines += rows(measurements[name])
    lines += memory_rows(measurements)
    lines += ["", "| Target | Value | Limit | Met |", "|---|---|---|---|"]
    for section in measurements.values():
        for target in section.get("targets", []):
            met = "yes" if target["met"] else "**no**"
            lines.append(f"| {target['name']} | {figure(target['value'])} {target['unit']} | "
                         f"{target['comparison']} {figure(target['limit'])} {target['unit']} | {met} |")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: report.py RESULTS.json")
    with open(sys.argv[1]) as f:
        sys.stdout.write(render(json.load(f)))


if __name__ == "__main__":
    main()
