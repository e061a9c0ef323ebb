"""Connects to a host program's unix socket that sits inside the workspace (an agent's or a dev server's socket
in the project folder), which a bind mount of the workspace would carry along (argv: the socket's name)."""

import socket
import sys

from verdict import attempt


def connect():
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(sys.argv[1])
        s.sendall(b"escaped")


attempt("workspace-socket", connect)
