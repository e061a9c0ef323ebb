"""Climbs out of the workspace with ".." and writes there: relative paths, a directory descriptor of the
parent, a working directory moved up, and renames out of the workspace (argv: the file next to the workspace,
by name)."""

import os
import sys

from verdict import attempt

canary_name = sys.argv[1]
open("mine.txt", "w").write("mine")
attempt("create-in-parent", lambda: open("../escaped", "w").write("x"))
attempt("overwrite-canary", lambda: open("../" + canary_name, "r+").write("x"))
attempt("create-at-top", lambda: open("../" * 32 + "escaped", "w").write("x"))
attempt("mkdir-in-parent", lambda: os.mkdir("../escaped-folder"))
attempt("rename-into-parent", lambda: os.rename("mine.txt", "../mine.txt"))
parent = os.open("..", os.O_RDONLY | os.O_DIRECTORY)
attempt("openat-parent-canary", lambda: os.open(canary_name, os.O_WRONLY, dir_fd=parent))
attempt("openat-parent-create", lambda: os.open("escaped", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=parent))
workspace = os.getcwd()
os.chdir("..")
attempt("create-after-chdir-up", lambda: open("escaped", "w").write("x"))
os.chdir(workspace)
