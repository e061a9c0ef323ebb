"""Terminal injection: the server's standard error is a pseudo-terminal, like an editor started from a shell.
Attacks push input into terminals with TIOCSTI and write to /dev/tty and friends; the terminal must have
received no input and shown none of the attack's text."""

import os
import pty
import unittest

from airlock_client import AttackTestCase, Server, protection_active, unique_marker


class Terminal(AttackTestCase):
    def start_server(self):
        self.terminal, terminal_side = pty.openpty()
        self.addCleanup(os.close, self.terminal)
        self.addCleanup(os.close, terminal_side)
        os.set_blocking(terminal_side, False)
        os.set_blocking(self.terminal, False)
        self.terminal_side = terminal_side
        return Server(stderr=terminal_side)

    def injected_input(self):
        """What a shell reading this terminal would get next."""
        try:
            return os.read(self.terminal_side, 4096)
        except BlockingIOError:
            return b""

    def shown_output(self):
        try:
            return os.read(self.terminal, 4096)
        except (BlockingIOError, OSError):
            return b""

    def test_tiocsti_injection(self):
        run = self.attack("tiocsti_injection.c")
        # The system call filter refuses TIOCSTI outright; without it, the pipes are no terminals.
        refusal = "EPERM" if protection_active("seccomp") else "ENOTTY"
        self.assertHeld(run, {"stdin": refusal, "stdout": refusal, "stderr": refusal, "/dev/tty": "ENOENT",
                              "other-terminals": "none"})
        self.assertEqual(self.injected_input(), b"")

    def test_terminal_devices(self):
        marker = f"airlock-on-your-terminal-{unique_marker()}"
        run = self.attack("terminal_devices.sh", marker)
        # Absent devices, and /dev is read-only: writing tries to create them and meets EROFS.
        self.assertHeld(run, {"write:/dev/tty": "EROFS", "read:/dev/tty": "ENOENT", "write:/dev/pts/0": "ENOENT",
                              "write:/dev/console": "EROFS", "write:init-stderr": "EACCES"})
        self.assertNotIn(marker.encode(), self.shown_output())
        self.assertEqual(self.injected_input(), b"")


if __name__ == "__main__":
    unittest.main()
