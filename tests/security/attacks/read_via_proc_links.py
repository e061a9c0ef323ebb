"""Reaches a host file outside the workspace through /proc's magic links: the root and cwd of this process
and of the sandbox's init (argv: the host file's absolute path, its path relative to the workspace)."""

import sys

from verdict import attempt

absolute, relative = sys.argv[1:3]
attempt("proc-self-root", lambda: open("/proc/self/root" + absolute).read())
attempt("proc-self-cwd", lambda: open("/proc/self/cwd/" + relative).read())
attempt("proc-init-root", lambda: open("/proc/1/root" + absolute).read())
attempt("proc-init-cwd", lambda: open("/proc/1/cwd/" + relative).read())
attempt("proc-init-root-shadow", lambda: open("/proc/1/root/etc/shadow").read())
