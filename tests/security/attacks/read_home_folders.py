"""Looks for the user's home folders and reads a key kept next to the project (argv: the home that holds
the workspace, the key's path inside it, the host user's own home)."""

import os
import sys

from verdict import attempt, verdict

home, key, own_home = sys.argv[1:4]
attempt("list:/home", lambda: os.listdir("/home"))
attempt("list:/root", lambda: os.listdir("/root"))
attempt(f"list:{own_home}/.ssh", lambda: os.listdir(os.path.join(own_home, ".ssh")))
attempt(f"read:{key}", lambda: open(key).read())
attempt("read:../" + os.path.relpath(key, home), lambda: open(os.path.join("..", os.path.relpath(key, home))).read())
siblings = os.listdir("..")
verdict("list:..", "only-workspace" if siblings == [os.path.basename(os.getcwd())] else "ESCAPED:" + ",".join(siblings))
