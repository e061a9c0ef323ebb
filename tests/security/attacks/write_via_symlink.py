"""Plants symlinks in the writable workspace that point outside it and writes through them (argv: the
surrounding folder, a file there the sandbox's user owns on the host)."""

import os
import sys

from verdict import attempt

surroundings, canary = sys.argv[1:3]
os.symlink(surroundings, "link-to-surroundings")
os.symlink(canary, "link-to-canary")
os.symlink("/etc/passwd", "link-to-passwd")
os.symlink("../" * 16 + canary.lstrip("/"), "relative-link-to-canary")
attempt("create-through-folder-link", lambda: open("link-to-surroundings/escaped", "w").write("x"))
attempt("overwrite-through-file-link", lambda: open("link-to-canary", "r+").write("x"))
attempt("overwrite-through-relative-link", lambda: open("relative-link-to-canary", "r+").write("x"))
attempt("overwrite-passwd-through-link", lambda: open("link-to-passwd", "r+").write("x"))
