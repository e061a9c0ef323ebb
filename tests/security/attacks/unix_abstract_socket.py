"""Connects to the host's abstract unix sockets (a stream listener and a datagram socket), which live in the
network namespace rather than in the filesystem (argv: the stream socket's name, the datagram socket's name)."""

import socket
import sys

from verdict import attempt

stream_name, datagram_name = sys.argv[1:3]


def connect_stream():
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect("\0" + stream_name)


def send_datagram():
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        s.sendto(b"escaped", "\0" + datagram_name)


attempt("abstract-stream", connect_stream)
attempt("abstract-datagram", send_datagram)
