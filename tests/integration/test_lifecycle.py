"""The LSP lifecycle and every kind of bad input: the server answers correctly and keeps serving."""

import json
import time
import unittest

from airlock_client import Server, ServerTestCase, frame, make_workspace


class BeforeInitialize(unittest.TestCase):
    def test_request_before_initialize_is_refused_and_exit_code_is_one(self):
        server = Server(initialize=False)
        response = server.request("sandbox/execute", {"workspaceFolder": "/", "command": ["true"]})
        self.assertEqual(response["error"]["code"], -32002)
        # Notifications before initialize are dropped, except exit.
        server.notify("sandbox/input", {"runId": "x", "text": "y"})
        server.notify("exit")
        self.assertEqual(server.proc.wait(timeout=10), 1)
        server.close()

    def test_initialize_reports_capabilities(self):
        server = Server(initialize=False)
        response = server.request("initialize", {"processId": None, "capabilities": {}})
        result = response["result"]
        self.assertEqual(result["serverInfo"]["name"], "airlock")
        sandbox = result["capabilities"]["sandbox"]
        for language in ["python", "javascript", "bash", "sh", "c", "cpp"]:
            self.assertIn(language, sandbox["languages"])
        self.assertIn("process", sandbox["isolation"])
        self.assertIn("readonly", sandbox["workspaceModes"])
        self.assertTrue(sandbox["interactive"])
        second = server.request("initialize", {"processId": None, "capabilities": {}})
        self.assertEqual(second["error"]["code"], -32600)
        self.assertEqual(server.close(), 0)


class Shutdown(unittest.TestCase):
    def test_requests_after_shutdown_are_invalid_and_exit_is_zero(self):
        server = Server()
        self.assertIsNone(server.request("shutdown")["result"])
        response = server.request("sandbox/cancel", {"runId": "x"})
        self.assertEqual(response["error"]["code"], -32600)
        server.notify("exit")
        self.assertEqual(server.proc.wait(timeout=10), 0)
        server.close()

    def test_exit_without_shutdown_is_one(self):
        server = Server()
        server.notify("exit")
        self.assertEqual(server.proc.wait(timeout=10), 1)
        server.close()

    def test_stdin_eof_ends_the_server(self):
        server = Server()
        server.proc.stdin.close()
        self.assertEqual(server.proc.wait(timeout=10), 1)
        server.close()


class BadInput(ServerTestCase):
    def assert_still_serving(self):
        response = self.server.request("sandbox/cancel", {"runId": "nothing"})
        self.assertEqual(response["result"], {"cancelled": False})

    def test_unparseable_json(self):
        self.server.send_raw(frame(b'{"jsonrpc": "2.0", "id": 5, "method": '))
        message = self.server.wait_response(None)
        self.assertEqual(message["error"]["code"], -32700)
        self.assertIsNone(message["id"])
        self.assert_still_serving()

    def test_valid_json_that_is_not_a_message(self):
        for body in [b'[]', b'42', b'{"jsonrpc": "2.0"}', b'{"jsonrpc": "1.0", "id": 3, "method": "x"}',
                     b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "x"}']:
            self.server.send_raw(frame(body))
            response = self.server.wait_response(3 if b'"id": 3' in body else None)
            self.assertEqual(response["error"]["code"], -32600, body)
        self.assert_still_serving()

    def test_unknown_method_and_notification(self):
        self.assertEqual(self.server.request("sandbox/nonsense", {})["error"]["code"], -32601)
        self.server.notify("sandbox/nonsense", {})
        self.assert_still_serving()

    def test_bad_params_name_the_field(self):
        ws = self.workspace()
        cases = [
            ({"workspaceFolder": ws, "code": "print(1)"}, "language"),
            ({"workspaceFolder": ws, "code": "x", "language": "python", "limits": {"timeoutMs": -5}}, "timeoutMs"),
            ({"workspaceFolder": ws, "code": "x", "file": "a.py", "language": "python"}, "exactly one"),
            ({"code": "x", "language": "python"}, "workspaceFolder"),
            ({"workspaceFolder": ws, "command": []}, "command"),
            ({"workspaceFolder": ws, "command": ["true"], "env": {"A": 5}}, "env"),
            ({"workspaceFolder": ws, "command": ["true"], "cwd": "../.."}, "cwd"),
            ({"workspaceFolder": ws, "file": "../../etc/passwd"}, "file"),
            ({"workspaceFolder": "/definitely/not/here", "command": ["true"]}, "workspaceFolder"),
            ({"workspaceFolder": ws, "code": "x", "language": "cobol-2090"}, "language"),
            ({"workspaceFolder": ws, "command": ["true"], "policy": {"workspace": "sideways"}}, "workspace"),
            ({"workspaceFolder": ws, "command": ["true"], "limits": {"timeoutMs": 10**12}}, "timeoutMs"),
        ]
        for params, field in cases:
            response = self.server.request("sandbox/execute", params)
            self.assertIn("error", response, params)
            self.assertEqual(response["error"]["code"], -32602, params)
            self.assertIn(field, response["error"]["message"], params)
        self.assertEqual(self.server.request("sandbox/execute", None)["error"]["code"], -32602)
        self.assert_still_serving()

    def test_malformed_headers_do_not_crash_or_allocate(self):
        self.server.send_raw(b"Content-Length: abc\r\n\r\n{}")
        self.server.send_raw(b"garbage without a header\r\n\r\n")
        # A claimed size far beyond the maximum: skipped as it arrives, never allocated.
        self.server.send_raw(b"Content-Length: 99999999999999\r\n\r\n")
        self.server.send_raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n")
        time.sleep(0.2)
        self.assertIsNone(self.server.proc.poll())
        with open(f"/proc/{self.server.proc.pid}/status") as f:
            rss_kb = int([line for line in f.read().splitlines() if line.startswith("VmRSS")][0].split()[1])
        self.assertLess(rss_kb, 200 * 1024)
        # The server is now skipping the claimed bytes; the client ending its side still ends it cleanly.
        self.server.proc.stdin.close()
        self.assertEqual(self.server.proc.wait(timeout=10), 1)

    def test_resynchronises_after_an_oversized_frame(self):
        oversized = 70 * 1024 * 1024
        self.server.send_raw(b"Content-Length: %d\r\n\r\n" % oversized)
        chunk = b" " * (1 << 20)
        for _ in range(oversized // len(chunk)):
            self.server.send_raw(chunk)
        self.server.send_raw(b" " * (oversized % len(chunk)))
        error = self.server.wait_response(None)
        self.assertIn(error["error"]["code"], (-32700, -32600))
        self.assert_still_serving()

    def test_extra_headers_are_tolerated(self):
        body = json.dumps({"jsonrpc": "2.0", "id": 77, "method": "sandbox/cancel", "params": {"runId": "r"}}).encode()
        self.server.send_raw(b"content-type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: %d\r\n\r\n"
                             % len(body) + body)
        self.assertEqual(self.server.wait_response(77)["result"], {"cancelled": False})


if __name__ == "__main__":
    unittest.main()
