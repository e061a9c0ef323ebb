"""Writes to host places through /proc/<pid>/root, the magic link to a process's root directory (argv: the
surrounding folder, a file there the sandbox's user owns on the host)."""

import sys

from verdict import attempt

surroundings, canary = sys.argv[1:3]
attempt("self-root-canary", lambda: open("/proc/self/root" + canary, "r+").write("x"))
attempt("self-root-surroundings", lambda: open("/proc/self/root" + surroundings + "/escaped", "w").write("x"))
attempt("self-root-etc", lambda: open("/proc/self/root/etc/escaped", "w").write("x"))
attempt("thread-root-canary", lambda: open("/proc/thread-self/root" + canary, "r+").write("x"))
attempt("init-root-canary", lambda: open("/proc/1/root" + canary, "r+").write("x"))
attempt("init-root-surroundings", lambda: open("/proc/1/root" + surroundings + "/escaped", "w").write("x"))
