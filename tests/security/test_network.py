"""Network attacks: TCP and UDP to the host's listeners, the host's abstract and filesystem unix sockets, DNS,
raw and packet sockets, and netlink. Each host listener must have received nothing afterwards."""

import os
import shutil
import socket
import subprocess
import tempfile
import unittest

from airlock_client import AttackTestCase, protection_active, requires_protection, tree_snapshot, unique_marker


def host_address():
    """The host's first global IPv4 address: where a sandbox with the host's network would find its services."""
    out = subprocess.run(["ip", "-4", "-o", "addr", "show", "scope", "global"], capture_output=True, text=True).stdout
    addresses = [line.split()[3].split("/")[0] for line in out.splitlines()]
    if not addresses:
        raise unittest.SkipTest("this host has no global IPv4 address to attack")
    return addresses[0]


def host_nameserver():
    with open("/etc/resolv.conf") as f:
        servers = [line.split()[1] for line in f if line.startswith("nameserver") and ":" not in line]
    return servers[0] if servers else "9.9.9.9"


class HostListeners(AttackTestCase):
    def listener(self, family, kind, address):
        s = socket.socket(family, kind)
        self.addCleanup(s.close)
        s.bind(address)
        if kind == socket.SOCK_STREAM:
            s.listen(8)
        s.setblocking(False)
        return s

    def assertNothingArrived(self, listener):
        try:
            if listener.type == socket.SOCK_STREAM:
                listener.accept()
            else:
                listener.recv(64)
        except BlockingIOError:
            return
        self.fail(f"the host's listener at {listener.getsockname()!r} was reached")

    def test_tcp_to_host_listeners(self):
        listener = self.listener(socket.AF_INET, socket.SOCK_STREAM, ("0.0.0.0", 0))
        run = self.attack("tcp_host_listener.py", listener.getsockname()[1], host_address())
        ipv6 = os.path.exists("/proc/net/if_inet6")
        self.assertHeld(run, {"loopback": "ECONNREFUSED", "any-address": "ECONNREFUSED",
                              "host-address": "ENETUNREACH", "mapped-loopback": "ECONNREFUSED" if ipv6 else "EAFNOSUPPORT"})
        self.assertNothingArrived(listener)

    def test_udp_to_host_listeners(self):
        listener = self.listener(socket.AF_INET, socket.SOCK_DGRAM, ("0.0.0.0", 0))
        run = self.attack("udp_host_listener.c", listener.getsockname()[1], host_address())
        self.assertHeld(run, {"loopback": "ECONNREFUSED", "broadcast": "ENETUNREACH", "host-address": "ENETUNREACH"})
        self.assertNothingArrived(listener)

    def test_abstract_unix_sockets_of_the_host(self):
        stream_name, datagram_name = f"airlock-escape-{unique_marker()}", f"airlock-escape-{unique_marker()}"
        stream = self.listener(socket.AF_UNIX, socket.SOCK_STREAM, "\0" + stream_name)
        datagram = self.listener(socket.AF_UNIX, socket.SOCK_DGRAM, "\0" + datagram_name)
        run = self.attack("unix_abstract_socket.py", stream_name, datagram_name)
        self.assertHeld(run, {"abstract-stream": "ECONNREFUSED", "abstract-datagram": "ECONNREFUSED"})
        self.assertNothingArrived(stream)
        self.assertNothingArrived(datagram)

    def test_filesystem_unix_socket_outside_the_workspace(self):
        folder = tempfile.mkdtemp(prefix="airlock-sockets-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        os.chmod(folder, 0o755)
        path = os.path.join(folder, "agent.sock")
        listener = self.listener(socket.AF_UNIX, socket.SOCK_STREAM, path)
        os.chmod(path, 0o777)
        run = self.attack("unix_host_socket.c", path)
        self.assertHeld(run, {"by-path": "ENOENT", "through-proc-root": "ENOENT"})
        self.assertNothingArrived(listener)

    def host_socket_in_workspace(self, mode):
        """Runs the attack on a host listener's socket inside a workspace mapped in `mode`; nothing may arrive."""
        ws = self.attack_workspace("unix_socket_in_workspace.py")
        listener = self.listener(socket.AF_UNIX, socket.SOCK_STREAM, os.path.join(ws, "dev-server.sock"))
        os.chmod(os.path.join(ws, "dev-server.sock"), 0o777)
        before = tree_snapshot(ws)
        run = self.run_attack(ws, "unix_socket_in_workspace.py", "dev-server.sock", policy={"workspace": mode})
        self.assertNothingArrived(listener)
        self.assertEqual(tree_snapshot(ws), before)
        return run

    def test_filesystem_unix_socket_inside_a_readonly_or_overlay_workspace(self):
        # Both modes mount the workspace as an overlay, whose socket files lead to no listener, on every kernel;
        # Landlock ABI 9, where active, may refuse the connect() first.
        refusals = {"ECONNREFUSED", "EACCES"} if protection_active("pathname unix sockets") else {"ECONNREFUSED"}
        for mode in ("readonly", "overlay"):
            with self.subTest(mode=mode):
                run = self.host_socket_in_workspace(mode)
                self.assertEqual(set(run.verdicts), {"workspace-socket"}, run.stdout)
                self.assertIn(run.verdicts["workspace-socket"], refusals, run.stdout)

    @requires_protection("pathname unix sockets")
    def test_filesystem_unix_socket_inside_a_readwrite_workspace(self):
        # A bind mount carries sockets along, and connect() ignores read-only mounts: only an access rule on
        # socket resolution (Landlock's LANDLOCK_ACCESS_FS_RESOLVE_UNIX) tells this socket from a file.
        self.assertHeld(self.host_socket_in_workspace("readwrite"), {"workspace-socket": "EACCES"})


class NameResolution(AttackTestCase):
    def test_dns(self):
        run = self.attack("dns_lookup.sh", host_nameserver())
        self.assertHeld(run, {"resolve": "not-found", "resolv.conf": "ENOENT", "udp:nameserver": "ENETUNREACH",
                              "tcp:nameserver": "ENETUNREACH", "tcp:local-resolver": "ECONNREFUSED"})


class KernelNetworking(AttackTestCase):
    def test_raw_and_packet_sockets(self):
        run = self.attack("raw_packet_sockets.c")
        self.assertHeld(run, {"raw-ipv4": "EPERM", "raw-icmp": "EPERM", "raw-ipv6": "EPERM", "packet-raw": "EPERM",
                              "packet-dgram": "EPERM", "packet-legacy": "EPERM", "ping-socket": "EACCES"})

    def test_netlink_configuration(self):
        run = self.attack("netlink_admin.c")
        self.assertHeld(run, {"create-interface": "EPERM", "add-address": "EPERM", "netfilter-batch": "EPERM",
                              "audit-set": "EPERM" if protection_active("seccomp") else "ECONNREFUSED"})


if __name__ == "__main__":
    unittest.main()
