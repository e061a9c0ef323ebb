"""sandbox/execute end to end: languages, streaming rules, stdin, cancel, timeouts, limits, queueing."""

import json
import os
import time
import unittest

from airlock_client import (Server, ServerTestCase, config_file, make_workspace, processes_with_marker, unique_marker,
                            wait_until)


class Languages(ServerTestCase):
    def test_every_builtin_language_runs(self):
        ws = self.workspace()
        programs = {
            "python": ("import sys\nprint('py', sys.argv[1:])", "py ['a', 'b c']\n"),
            "javascript": ("console.log('js', process.argv.slice(2).join('|'))", "js a|b c\n"),
            "bash": ('echo "bash $1|$2"', "bash a|b c\n"),
            "sh": ('echo "sh $1|$2"', "sh a|b c\n"),
            "c": ('#include <stdio.h>\nint main(int c, char** v) { printf("c %s|%s\\n", v[1], v[2]); }', "c a|b c\n"),
            "cpp": ('#include <iostream>\nint main(int c, char** v) { std::cout << "cpp " << v[1] << "|" << v[2] << "\\n"; }',
                    "cpp a|b c\n"),
        }
        for language, (code, expected) in programs.items():
            response, out, err = self.server.execute(workspaceFolder=ws, code=code, language=language,
                                                     args=["a", "b c"])
            self.assertEqual(response["result"]["status"], "ok", (language, err))
            self.assertEqual(out, expected, language)

    def test_a_config_file_adds_and_replaces_languages(self):
        # perl is not built in; python is replaced by a two-step program (a check step, then the run with args).
        server = Server("--config", config_file(self, {"languages": {
            "perl": {"extensions": [".pl"], "steps": [["perl", "{file}"]]},
            "python": {"extensions": [".py"], "steps": [["python3", "-m", "py_compile", "{file}"],
                                                        ["python3", "-I", "{file}"]]}}}))
        self.addCleanup(server.close)
        self.assertIn("perl", server.capabilities["sandbox"]["languages"])
        ws = self.workspace({"tool.pl": 'print "perl @ARGV\n";'})
        response, out, err = server.execute(workspaceFolder=ws, code='print "snippet\n";', language="perl")
        self.assertEqual((response["result"]["status"], out), ("ok", "snippet\n"), err)
        response, out, err = server.execute(workspaceFolder=ws, file="tool.pl", args=["a"])
        self.assertEqual((response["result"]["status"], out), ("ok", "perl a\n"), err)
        response, out, err = server.execute(workspaceFolder=ws, code="import sys\nprint(sys.flags.isolated)",
                                            language="python")
        self.assertEqual((response["result"]["status"], out), ("ok", "1\n"), err)
        response, out, err = server.execute(workspaceFolder=ws, code="print(", language="python")
        self.assertEqual((response["result"]["status"], out), ("failed", ""), "the check step stops the run")
        self.assertIn("SyntaxError", err)

    def test_compile_error_fails_and_reports_compiler_output(self):
        ws = self.workspace()
        response, out, err = self.server.execute(workspaceFolder=ws, code="int main() { return x; }", language="c")
        self.assertEqual(response["result"]["status"], "failed")
        self.assertIn("error", err)
        self.assertIn("/airlock/snippet.c", err)

    def test_file_run_takes_language_from_extension_and_cwd(self):
        ws = self.workspace({"src/tool.py": "import os\nprint(os.getcwd())\nprint(open('data.txt').read())",
                             "src/data.txt": "payload"})
        response, out, err = self.server.execute(workspaceFolder="file://" + ws, file="src/tool.py", cwd="src")
        self.assertEqual(response["result"]["status"], "ok", err)
        self.assertEqual(out, os.path.join(ws, "src") + "\npayload\n")

    def test_command_run_and_exit_code(self):
        ws = self.workspace()
        response, out, err = self.server.execute(workspaceFolder=ws, command=["sh", "-c", "echo out; echo err >&2; exit 7"])
        result = response["result"]
        self.assertEqual((result["status"], result["exitCode"], result["signal"]), ("failed", 7, None))
        self.assertEqual((out, err), ("out\n", "err\n"))
        self.assertEqual((result["stdoutBytes"], result["stderrBytes"]), (4, 4))
        self.assertEqual(result["changes"], [])

    def test_signal_is_reported(self):
        ws = self.workspace()
        response, _, _ = self.server.execute(workspaceFolder=ws, command=["sh", "-c", "kill -SEGV $$"])
        self.assertEqual(response["result"]["status"], "failed")
        self.assertEqual(response["result"]["signal"], "SIGSEGV")
        self.assertIsNone(response["result"]["exitCode"])

    def test_missing_interpreter_is_a_clear_error(self):
        ws = self.workspace()
        response, _, _ = self.server.execute(workspaceFolder=ws, command=["no-such-interpreter-xyz", "a"])
        self.assertEqual(response["result"]["status"], "error")
        self.assertIn("no-such-interpreter-xyz", response["result"]["message"])

    def test_env_is_minimal_plus_request(self):
        ws = self.workspace()
        response, out, _ = self.server.execute(workspaceFolder=ws, command=["env"], env={"EXTRA": "1", "LANG": "C"})
        variables = dict(line.split("=", 1) for line in out.splitlines())
        self.assertEqual(set(variables), {"PATH", "HOME", "LANG", "TERM", "PYTHONPYCACHEPREFIX", "EXTRA"})
        self.assertEqual(variables["LANG"], "C")
        self.assertEqual(variables["EXTRA"], "1")


class Streaming(ServerTestCase):
    def test_notification_order_and_exactly_one_exit(self):
        ws = self.workspace()
        # Output on both streams up to the program's last moment, so that the end of the run races its output.
        code = "import sys\nprint('hi')\nsys.stderr.write('e' * 300000)\nsys.stdout.write('o' * 300000)"
        response, out, err = self.server.execute(workspaceFolder=ws, runId="order", code=code, language="python",
                                                 policy={"workspace": "readonly"})
        self.assertEqual((len(out), len(err)), (3 + 300000, 300000))
        messages = self.server.run_notifications("order")
        methods = [m["method"] for m in messages]
        self.assertEqual(methods[0], "sandbox/started")
        self.assertEqual(methods[-1], "sandbox/exited")
        self.assertEqual(methods.count("sandbox/exited"), 1)
        self.assertEqual(messages[0]["params"], {"runId": "order", "isolation": "process", "workspace": "readonly"})
        seqs = [m["params"]["seq"] for m in messages if m["method"] == "sandbox/output"]
        self.assertEqual(seqs, list(range(len(seqs))))
        self.assertEqual(messages[-1]["params"], response["result"])
        # The response comes last: after every notification of its run, sandbox/exited included.
        of_run = [i for i, m in enumerate(self.server.received)
                  if (m.get("params") or m.get("result") or {}).get("runId") == "order"]
        self.assertEqual(self.server.received[of_run[-1]], response)

    def test_output_arrives_live_not_at_the_end(self):
        ws = self.workspace()
        id = self.server.start_request("sandbox/execute", {
            "workspaceFolder": ws, "runId": "live", "language": "python",
            "code": "import time\nprint('first', flush=True)\ntime.sleep(3)\nprint('second')"})
        self.server.wait_notification(lambda m: m["method"] == "sandbox/output" and m["params"]["runId"] == "live",
                                      timeout=2.5)
        self.assertNotIn(json.dumps(id), self.server.responses)
        self.assertEqual(self.server.wait_response(id)["result"]["status"], "ok")
        self.assertEqual(self.server.output("live"), "first\nsecond\n")

    def test_many_small_writes_are_coalesced(self):
        ws = self.workspace()
        code = "import sys\nfor i in range(20000):\n    sys.stdout.write(f'{i}\\n'); sys.stdout.flush()"
        response, out, _ = self.server.execute(workspaceFolder=ws, runId="many", code=code, language="python")
        self.assertEqual(out, "".join(f"{i}\n" for i in range(20000)))
        notifications = self.server.run_notifications("many", "sandbox/output")
        self.assertLess(len(notifications), 2000)
        # At most one notification per stream per 10 ms, or per full 64 KiB chunk, and the last one at the end.
        chunks = len(out.encode()) // (64 * 1024)
        self.assertLessEqual(len(notifications), response["result"]["durationMs"] / 10 + chunks + 2)

    def test_utf8_is_never_split_and_invalid_bytes_become_replacement(self):
        ws = self.workspace()
        # Multi-byte characters written one byte at a time, then invalid bytes.
        code = ("import os, time\ntext = 'héllo wörld 日本 🎉'.encode()\n"
                "for b in text:\n    os.write(1, bytes([b])); time.sleep(0.002)\n"
                "os.write(1, b'|\\xff\\xc3(|')\n")
        response, out, _ = self.server.execute(workspaceFolder=ws, runId="utf8", code=code, language="python")
        self.assertEqual(out, "héllo wörld 日本 🎉|\ufffd\ufffd(|")
        for m in self.server.run_notifications("utf8", "sandbox/output"):
            m["params"]["text"].encode("utf-8")  # every piece is valid on its own

    def test_large_output_is_complete(self):
        ws = self.workspace()
        code = "import sys\nsys.stdout.write('x' * (8 << 20))"
        response, out, _ = self.server.execute(workspaceFolder=ws, runId="big", code=code, language="python")
        self.assertEqual(response["result"]["status"], "ok")
        self.assertEqual(len(out), 8 << 20)
        for m in self.server.run_notifications("big", "sandbox/output"):
            self.assertLessEqual(len(m["params"]["text"].encode()), 64 * 1024)


class Backpressure(ServerTestCase):
    def test_a_client_that_stops_reading_blocks_the_program_not_the_server_memory(self):
        ws = self.workspace()
        id = self.server.start_request("sandbox/execute", {
            "workspaceFolder": ws, "runId": "flood", "command": ["yes", "flooding the client"],
            "limits": {"outputBytes": 1 << 30, "timeoutMs": 60000}})
        self.server.wait_notification(lambda m: m["method"] == "sandbox/output")
        # Measured from here, not from zero: a sanitizer build starts larger and keeps freed memory in quarantine.
        streaming = self.server.rss_kib()
        self.server.reading.clear()
        time.sleep(2)
        # A program writing ~1 GB/s would have buffered gigabytes by now without backpressure.
        self.assertLess(self.server.rss_kib() - streaming, 64 * 1024)
        self.server.reading.set()
        time.sleep(0.5)
        self.server.reading.clear()
        time.sleep(1)
        self.assertLess(self.server.rss_kib() - streaming, 64 * 1024)
        self.server.reading.set()
        self.assertEqual(self.server.request("sandbox/cancel", {"runId": "flood"})["result"], {"cancelled": True})
        self.assertEqual(self.server.wait_response(id, timeout=60)["result"]["status"], "cancelled")


class Input(ServerTestCase):
    def test_stdin_text_then_eof(self):
        ws = self.workspace()
        response, out, _ = self.server.execute(workspaceFolder=ws, command=["sh", "-c", "cat; echo end"], stdin="abc\n")
        self.assertEqual(out, "abc\nend\n")

    def test_interactive_input(self):
        ws = self.workspace()
        id = self.server.start_request("sandbox/execute", {
            "workspaceFolder": ws, "runId": "chat", "interactive": True, "language": "python",
            "code": "name = input('name? ')\nprint('hello', name)\nprint(input('again? '))"})
        self.server.wait_notification(lambda m: m["method"] == "sandbox/output" and "name?" in m["params"]["text"])
        self.server.notify("sandbox/input", {"runId": "chat", "text": "ada\n"})
        self.server.wait_notification(lambda m: m["method"] == "sandbox/output" and "again?" in m["params"]["text"])
        self.server.notify("sandbox/input", {"runId": "chat", "text": "bye", "eof": True})
        response = self.server.wait_response(id)
        self.assertEqual(response["result"]["status"], "ok")
        self.assertEqual(self.server.output("chat"), "name? hello ada\nagain? bye\n")


class Ending(ServerTestCase):
    TREE = ("import os, time\n"
            "for _ in range(3):\n"
            "    if os.fork() == 0:\n"
            "        os.setsid()\n"
            "        if os.fork() == 0:\n"
            "            os.execvp('sleep', ['sleep', '{marker}'])\n"
            "        os._exit(0)\n"
            "print('ready', flush=True)\n"
            "time.sleep(600)\n")

    def assert_exited_once(self, run_id, status):
        exited = self.server.run_notifications(run_id, "sandbox/exited")
        self.assertEqual([m["params"]["status"] for m in exited], [status])

    def start_tree(self, run_id, marker):
        ws = self.workspace()
        id = self.server.start_request("sandbox/execute", {
            "workspaceFolder": ws, "runId": run_id, "language": "python", "code": self.TREE.format(marker=marker)})
        self.server.wait_notification(lambda m: m["method"] == "sandbox/output" and m["params"]["runId"] == run_id)
        self.assertTrue(wait_until(lambda: len(processes_with_marker(marker)) == 3))
        return id

    def test_sandbox_cancel_kills_the_whole_tree(self):
        marker = unique_marker()
        id = self.start_tree("tree1", marker)
        self.assertEqual(self.server.request("sandbox/cancel", {"runId": "tree1"})["result"], {"cancelled": True})
        response = self.server.wait_response(id)
        self.assertEqual(response["result"]["status"], "cancelled")
        self.assertEqual(processes_with_marker(marker), [])
        self.assert_exited_once("tree1", "cancelled")

    def test_cancel_request_answers_32800_and_still_sends_exited(self):
        marker = unique_marker()
        id = self.start_tree("tree2", marker)
        self.server.notify("$/cancelRequest", {"id": id})
        response = self.server.wait_response(id)
        self.assertEqual(response["error"]["code"], -32800)
        self.assertEqual(processes_with_marker(marker), [])
        self.assert_exited_once("tree2", "cancelled")

    def test_daemons_die_when_the_main_program_ends(self):
        ws = self.workspace()
        marker = unique_marker()
        code = ("import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                f"        os.execvp('sleep', ['sleep', '{marker}'])\n    os._exit(0)\nos.wait()\n")
        response, _, _ = self.server.execute(workspaceFolder=ws, code=code, language="python")
        self.assertEqual(response["result"]["status"], "ok")
        self.assertTrue(wait_until(lambda: processes_with_marker(marker) == []))

    def test_timeout(self):
        ws = self.workspace()
        marker = unique_marker()
        started = time.monotonic()
        response, _, _ = self.server.execute(workspaceFolder=ws, command=["sleep", marker], limits={"timeoutMs": 500})
        self.assertEqual(response["result"]["status"], "timeout")
        self.assertIn("500 ms", response["result"]["message"])
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(processes_with_marker(marker), [])
        self.assert_exited_once(response["result"]["runId"], "timeout")

    def test_output_limit_truncates_and_stops(self):
        ws = self.workspace()
        response, out, _ = self.server.execute(workspaceFolder=ws, command=["yes", "airlock"],
                                               limits={"outputBytes": 100000})
        result = response["result"]
        self.assertEqual((result["status"], result["limit"], result["truncated"]), ("limit", "output", True))
        self.assertEqual(len(out.encode()), 100000)
        self.assertTrue(out.startswith("airlock\nairlock\n"))
        self.assert_exited_once(result["runId"], "limit")

    def test_eof_on_stdin_kills_every_run(self):
        marker = unique_marker()
        self.start_tree("tree3", marker)
        self.server.proc.stdin.close()
        self.assertEqual(self.server.proc.wait(timeout=10), 1)
        self.assertEqual(processes_with_marker(marker), [])

    def test_exit_kills_every_run(self):
        marker = unique_marker()
        self.start_tree("tree5", marker)
        self.server.notify("exit")
        self.assertEqual(self.server.proc.wait(timeout=10), 1)
        self.assertEqual(processes_with_marker(marker), [])

    def test_server_killed_takes_its_sandboxes_along(self):
        marker = unique_marker()
        self.start_tree("tree4", marker)
        self.server.proc.kill()
        self.server.proc.wait()
        self.assertTrue(wait_until(lambda: processes_with_marker(marker) == [], timeout=5))


class Concurrency(ServerTestCase):
    def test_concurrent_runs_keep_their_output_apart(self):
        ws = self.workspace()
        ids = {}
        for i in range(12):
            code = f"for n in range(2000):\n    print('run{i}', n)"
            ids[i] = self.server.start_request("sandbox/execute", {"workspaceFolder": ws, "runId": f"c{i}",
                                                                   "language": "python", "code": code})
        for i, id in ids.items():
            self.assertEqual(self.server.wait_response(id, timeout=60)["result"]["status"], "ok")
            self.assertEqual(self.server.output(f"c{i}"), "".join(f"run{i} {n}\n" for n in range(2000)))

    def test_duplicate_run_id_is_refused(self):
        ws = self.workspace()
        id = self.server.start_request("sandbox/execute", {"workspaceFolder": ws, "runId": "dup",
                                                           "command": ["sleep", "5"]})
        self.server.wait_notification(lambda m: m["method"] == "sandbox/started" and m["params"]["runId"] == "dup")
        response = self.server.request("sandbox/execute", {"workspaceFolder": ws, "runId": "dup", "command": ["true"]})
        self.assertEqual(response["error"]["code"], -32602)
        self.assertIn("runId", response["error"]["message"])
        self.server.request("sandbox/cancel", {"runId": "dup"})
        self.server.wait_response(id)


class Queueing(unittest.TestCase):
    def test_runs_beyond_the_maximum_wait_in_order_and_can_be_cancelled_while_queued(self):
        server = Server("--config", config_file(self, {"maxConcurrentRuns": 2}))
        try:
            ws = make_workspace()
            # The first two hold both places until their input ends; the rest wait behind them.
            holders = [server.start_request("sandbox/execute", {"workspaceFolder": ws, "runId": f"q{i}",
                                                                "interactive": True, "command": ["cat"]})
                       for i in range(2)]
            waiting = [server.start_request("sandbox/execute", {"workspaceFolder": ws, "runId": f"q{i}",
                                                                "command": ["true"]}) for i in range(2, 4)]
            queued = server.start_request("sandbox/execute", {"workspaceFolder": ws, "runId": "q-cancel",
                                                              "command": ["sleep", "30"]})
            for run_id in ("q0", "q1"):
                server.wait_notification(lambda m: m["method"] == "sandbox/started" and m["params"]["runId"] == run_id)
            self.assertEqual(server.request("sandbox/cancel", {"runId": "q-cancel"})["result"], {"cancelled": True})
            self.assertEqual(server.wait_response(queued)["result"]["status"], "cancelled")
            started = [m["params"]["runId"] for m in server.notifications if m["method"] == "sandbox/started"]
            self.assertEqual(sorted(started), ["q0", "q1"])
            self.assertEqual([m["params"]["status"] for m in server.run_notifications("q-cancel", "sandbox/exited")],
                             ["cancelled"])
            for run_id in ("q0", "q1"):
                server.notify("sandbox/input", {"runId": run_id, "text": "", "eof": True})
            for id in holders + waiting:
                self.assertEqual(server.wait_response(id)["result"]["status"], "ok")
            started = [m["params"]["runId"] for m in server.notifications if m["method"] == "sandbox/started"]
            self.assertEqual(started[2:], ["q2", "q3"], "queued runs start in the order they came")
            self.assertEqual(server.run_notifications("q-cancel", "sandbox/started"), [])
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main()
