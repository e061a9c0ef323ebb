"""First escape attempts: each asserts that the attack fails inside AND that the host is unchanged."""

import os
import shutil
import socket
import tempfile
import unittest

from airlock_client import USER_NAMESPACES_FORBIDDEN, Server, ServerTestCase, as_server_user, make_workspace, read_file


class HostFiles(ServerTestCase):
    def run_python(self, code, **params):
        ws = params.pop("workspaceFolder", None) or self.workspace()
        response, out, err = self.server.execute(workspaceFolder=ws, code=code, language="python", **params)
        self.assertIn("result", response, response)
        return response["result"], out, err

    def test_shadow_and_home_folders_are_absent(self):
        result, out, _ = self.run_python(
            "import os\nfor p in ['/etc/shadow', '/etc/gshadow', '/root', '/home', '/var', '/run/user', '/srv']:\n"
            "    print(p, os.path.exists(p))")
        self.assertEqual(result["status"], "ok")
        for line in out.splitlines():
            self.assertTrue(line.endswith("False"), line)

    @unittest.skipUnless(os.geteuid() == 0, "needs a root-owned file")
    def test_root_only_file_in_workspace_stays_unreadable(self):
        ws = self.workspace({"public.txt": "ok"})
        secret = os.path.join(ws, "secret.txt")
        with open(secret, "w") as f:
            f.write("TOP-SECRET")
        os.chown(secret, 0, 0)
        os.chmod(secret, 0o600)
        result, out, err = self.run_python(
            "print(open('public.txt').read())\ntry:\n    print(open('secret.txt').read())\n"
            "except PermissionError as e:\n    print('denied')", workspaceFolder=ws)
        self.assertEqual(out, "ok\ndenied\n")

    def test_uid_inside_is_not_root(self):
        result, out, _ = self.run_python("import os\nprint(os.getuid(), os.geteuid(), os.getgid())")
        self.assertNotIn("0", out.split())

    def test_readonly_workspace_cannot_be_changed(self):
        ws = self.workspace({"keep.txt": "original"}, writable=True)
        result, out, _ = self.run_python(
            "import os\nattempts = [lambda: open('keep.txt', 'w').write('evil'), lambda: open('new.txt', 'w'),\n"
            "            lambda: os.remove('keep.txt'), lambda: os.mkdir('d'), lambda: os.symlink('/', 'link'),\n"
            "            lambda: os.chmod('keep.txt', 0o777)]\n"
            "for attempt in attempts:\n    try:\n        attempt(); print('WROTE')\n"
            "    except OSError as e:\n        print(e.errno)", workspaceFolder=ws, policy={"workspace": "readonly"})
        self.assertNotIn("WROTE", out)
        self.assertEqual(sorted(os.listdir(ws)), ["keep.txt"])
        self.assertEqual(read_file(ws, "keep.txt"), "original")

    def test_readwrite_workspace_writes_through_but_git_is_protected(self):
        ws = self.workspace({"keep.txt": "original", ".git/config": "[core]\n"}, writable=True)
        result, out, err = self.run_python(
            "open('keep.txt', 'w').write('changed')\ntry:\n    open('.git/config', 'w').write('[core]\\nhooksPath=/tmp')\n"
            "    print('GIT WRITTEN')\nexcept OSError:\n    print('git protected')",
            workspaceFolder=ws, policy={"workspace": "readwrite"})
        self.assertEqual(result["status"], "ok", err)
        self.assertEqual(out, "git protected\n")
        self.assertEqual(read_file(ws, "keep.txt"), "changed")
        self.assertEqual(read_file(ws, ".git/config"), "[core]\n")

    def test_missing_protected_paths_cannot_be_created_and_leave_nothing_behind(self):
        ws = self.workspace({"keep.txt": "original"}, writable=True)
        result, out, err = self.run_python(
            "import os\nfor path in ['.vscode/tasks.json', '.git/config', '.idea/x.xml']:\n"
            "    try:\n        os.makedirs(os.path.dirname(path), exist_ok=True)\n        open(path, 'w').write('planted')\n"
            "        print('PLANTED', path)\n    except OSError as e:\n        print('refused', path)\n"
            "os.mkdir('build')\nprint('build made')",
            workspaceFolder=ws, policy={"workspace": "readwrite"})
        self.assertNotIn("PLANTED", out, err)
        self.assertIn("build made", out)
        self.assertEqual(sorted(os.listdir(ws)), ["build", "keep.txt"])

    def test_system_folders_are_read_only(self):
        marker = "airlock-escape-" + str(os.getpid())
        result, out, _ = self.run_python(
            "import os\nfor d in ['/', '/usr', '/etc', '/usr/lib', '/airlock', '/proc/sys/kernel']:\n"
            f"    try:\n        open(os.path.join(d, '{marker}'), 'w'); print('WROTE', d)\n"
            "    except OSError as e:\n        print('denied', d)")
        self.assertNotIn("WROTE", out)
        for folder in ["/", "/usr", "/etc", "/usr/lib"]:
            self.assertFalse(os.path.exists(os.path.join(folder, marker)))

    def test_tmp_is_private_and_fresh(self):
        host_marker = tempfile.NamedTemporaryFile(prefix="airlock-host-marker-", dir="/tmp", delete=False)
        result, out, _ = self.run_python(
            "import os\nprint(sorted(os.listdir('/tmp')))\nopen('/tmp/left-behind', 'w').write('x')")
        self.assertNotIn("airlock-host-marker", out)
        self.assertFalse(os.path.exists("/tmp/left-behind"))
        os.unlink(host_marker.name)


class HostProcessesAndNetwork(ServerTestCase):
    def test_host_processes_are_invisible(self):
        ws = self.workspace()
        response, out, _ = self.server.execute(
            workspaceFolder=ws, language="python",
            code="import os\npids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\nprint(pids)\n"
                 f"try:\n    os.kill({os.getpid()}, 0); print('SIGNALLED')\nexcept OSError as e:\n    print('no', e.errno)")
        pids = eval(out.splitlines()[0])
        self.assertLess(max(pids), 20)
        self.assertNotIn("SIGNALLED", out)

    def test_no_network_except_loopback(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        ws = self.workspace()
        response, out, _ = self.server.execute(
            workspaceFolder=ws, language="python",
            code="import os, socket\nprint(sorted(os.listdir('/sys/class/net')) if os.path.exists('/sys/class/net') else ['lo'])\n"
                 f"s = socket.socket()\ns.settimeout(2)\ntry:\n    s.connect(('127.0.0.1', {port})); print('CONNECTED')\n"
                 "except OSError as e:\n    print('refused', e.errno)\n"
                 "try:\n    socket.getaddrinfo('debian.org', 80); print('RESOLVED')\nexcept OSError:\n    print('no dns')")
        listener.settimeout(0.1)
        with self.assertRaises(OSError):
            listener.accept()
        listener.close()
        self.assertNotIn("CONNECTED", out)
        self.assertNotIn("RESOLVED", out)
        self.assertEqual(out.splitlines()[0], "['lo']")

    def test_only_standard_fds_are_inherited(self):
        ws = self.workspace()
        response, out, _ = self.server.execute(workspaceFolder=ws, language="python",
                                               code="import os\nprint(sorted(int(f) for f in os.listdir('/proc/self/fd')))")
        # Python's own listdir fd is the only extra one.
        self.assertEqual(eval(out)[:3], [0, 1, 2])
        self.assertLessEqual(len(eval(out)), 4)

    def test_no_controlling_terminal(self):
        ws = self.workspace()
        response, out, _ = self.server.execute(workspaceFolder=ws, language="python",
                                               code="try:\n    open('/dev/tty'); print('TTY')\nexcept OSError:\n    print('no tty')")
        self.assertEqual(out, "no tty\n")


class ServerEnvironment(unittest.TestCase):
    def test_server_environment_never_reaches_the_sandbox(self):
        server = Server(env={"PATH": "/usr/bin:/bin", "AWS_SECRET_ACCESS_KEY": "hunter2", "GITHUB_TOKEN": "ghp_x"})
        try:
            ws = tempfile.mkdtemp()
            os.chmod(ws, 0o755)
            response, out, _ = server.execute(workspaceFolder=ws, command=["sh", "-c", "env; cat /proc/1/environ"])
            self.assertNotIn("hunter2", out)
            self.assertNotIn("ghp_x", out)
        finally:
            server.close()
            os.rmdir(ws)



@unittest.skipUnless(os.geteuid() == 0, "the server's user is set by the launcher, which needs root")
class UserNamespacesForbidden(unittest.TestCase):
    def test_execute_is_refused_with_the_cause_and_the_fix_and_nothing_runs(self):
        ws = make_workspace(writable=True)
        self.addCleanup(shutil.rmtree, ws, True)
        server = Server(launcher=[*as_server_user(), *USER_NAMESPACES_FORBIDDEN], launcher_sets_user=True)
        self.addCleanup(server.close)
        self.assertNotIn("process", server.capabilities["sandbox"]["isolation"])
        for mode in ("readwrite", "overlay", "readonly"):
            response = server.request("sandbox/execute", {
                "workspaceFolder": ws, "runId": f"forbidden-{mode}", "policy": {"workspace": mode},
                "command": ["sh", "-c", "echo ran > ran.txt; echo ran"]})
            self.assertEqual(response.get("error", {}).get("code"), -32010, response)
            self.assertIn("user.max_user_namespaces=0", response["error"]["message"])
            self.assertIn("Fix:", response["error"]["message"])
            self.assertEqual(server.output(f"forbidden-{mode}"), "")
        self.assertEqual(os.listdir(ws), [], "the program ran without a sandbox")
        self.assertEqual(server.request("sandbox/cancel", {"runId": "x"})["result"], {"cancelled": False})

if __name__ == "__main__":
    unittest.main()
