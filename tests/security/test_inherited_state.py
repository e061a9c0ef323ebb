"""What a run could inherit from the server: open descriptors (the server's own, those of other runs, and any
the server itself inherited, such as a directory of the host) and the server's environment."""

import os
import unittest

from airlock_client import AttackTestCase, Server

SECRET = "airlock-env-secret-52c9"


class InheritedDescriptors(AttackTestCase):
    def start_server(self):
        # Descriptors an editor might leave open in the server: the host's root directory and a secret file.
        self.host_root = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
        self.addCleanup(os.close, self.host_root)
        self.secret_file = os.open("/etc/passwd", os.O_RDONLY)
        self.addCleanup(os.close, self.secret_file)
        return Server(pass_fds=(self.host_root, self.secret_file))

    def test_no_descriptor_reaches_the_run(self):
        # Another run in progress: the server then holds its pipes and process handles too.
        other = self.server.start_request("sandbox/execute", {
            "workspaceFolder": self.workspace(), "runId": "other", "language": "python",
            "code": "import time\nprint('started', flush=True)\ntime.sleep(30)"})
        self.server.wait_notification(lambda m: m.get("method") == "sandbox/output" and m["params"]["runId"] == "other")
        run = self.attack("inherited_fds.c")
        self.assertHeld(run, {"inherited-fds": "none"})
        self.server.request("sandbox/cancel", {"runId": "other"})
        self.assertEqual(self.server.wait_response(other)["result"]["status"], "cancelled")


class ServerEnvironment(AttackTestCase):
    def start_server(self):
        return Server(env={
            "PATH": "/usr/bin:/bin", "AWS_SECRET_ACCESS_KEY": SECRET, "GITHUB_TOKEN": SECRET,
            "SSH_AUTH_SOCK": "/run/user/1000/ssh-agent.sock", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus",
            "XDG_RUNTIME_DIR": "/run/user/1000", "DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0",
            "LD_PRELOAD": "/nonexistent/inject.so"})

    def test_server_environment_stays_out(self):
        run = self.attack("environment_secrets.sh", SECRET[::-1], "AIRLOCK_REQUESTED", env={"AIRLOCK_REQUESTED": "1"})
        self.assertHeld(run, {"secret": "absent", "host-variables": "none", "requested-variable": "present"})
        self.assertNotIn(SECRET, run.stdout + run.stderr)


if __name__ == "__main__":
    unittest.main()
