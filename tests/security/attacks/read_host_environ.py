"""Looks for a secret in other processes' environments: the sandbox's init, a host process of the sandbox's
user by pid, and every /proc/<pid>/environ and cmdline it can see (argv: the host process's pid, the secret
reversed, so that this program's own command line does not hold it). Also reports the init's command line, which
must not be the server's (host paths, its log file)."""

import os
import sys

from verdict import attempt, verdict

host_pid, secret = sys.argv[1], sys.argv[2][::-1].encode()
attempt("init-environ", lambda: open("/proc/1/environ", "rb").read())
verdict("init-cmdline", open("/proc/1/cmdline", "rb").read().rstrip(b"\0").replace(b"\0", b" ").decode())
attempt("host-process-environ", lambda: open(f"/proc/{host_pid}/environ", "rb").read())
seen = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    for name in ("environ", "cmdline"):
        try:
            if secret in open(f"/proc/{pid}/{name}", "rb").read():
                seen.append(f"{pid}/{name}")
        except OSError:
            pass
verdict("secret-anywhere-in-proc", "ESCAPED:" + ",".join(seen) if seen else "absent")
