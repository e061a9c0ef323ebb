"""Connects to a TCP listener of the host: on loopback, on the host's own address, and through an IPv4-mapped
IPv6 address (argv: the port, the host's address)."""

import socket
import sys

from verdict import attempt

port, host_address = int(sys.argv[1]), sys.argv[2]


def connect(family, address):
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        s.connect(address)


attempt("loopback", lambda: connect(socket.AF_INET, ("127.0.0.1", port)))
attempt("any-address", lambda: connect(socket.AF_INET, ("0.0.0.0", port)))
attempt("host-address", lambda: connect(socket.AF_INET, (host_address, port)))
attempt("mapped-loopback", lambda: connect(socket.AF_INET6, ("::ffff:127.0.0.1", port)))
