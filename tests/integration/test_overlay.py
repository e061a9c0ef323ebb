"""Overlay workspaces over the protocol: the run's writes wait in a per-run layer, RunResult lists them, and
sandbox/readChangedFile, sandbox/applyChanges and sandbox/discardChanges review them. Every test runs with the
server as the invoking user and as an unprivileged one."""

import base64
import os
import shutil
import stat
import subprocess
import unittest

from airlock_client import (Server, ServerTestCase, config_file, make_workspace, processes_with_marker, read_file,
                            server_uid, unique_marker, wait_until)

# The owner of the project when a root server runs it: any non-root uid (see sandbox_identity.h).
PROJECT_OWNER_WHEN_ROOT = 4242
INVALID_PARAMS = -32602


def project_owner():
    return server_uid() if server_uid() != 0 else PROJECT_OWNER_WHEN_ROOT


def give_to_project_owner(root):
    if os.geteuid() != 0:
        return
    os.chown(root, project_owner(), project_owner())
    for folder, dirs, names in os.walk(root):
        for name in dirs + names:
            os.lchown(os.path.join(folder, name), project_owner(), project_owner())


def mode_of(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def layer_descriptors(pid):
    """The server's descriptors that hold an overlay layer: the layer's upper folder, on a detached tmpfs."""
    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == "/upper":
                found.append(fd)
        except OSError:
            pass
    return found


class OverlayTestCase(ServerTestCase):
    def project(self, files=None):
        """A workspace owned by the project's user, as an editor's folder is."""
        root = self.workspace(files)
        give_to_project_owner(root)
        return root

    def outside(self, files=None):
        root = make_workspace(files)
        self.workspaces.append(root)
        return root

    def run_shell(self, ws, script, **params):
        response, out, err = self.server.execute(workspaceFolder=ws, command=["bash", "-c", script], **params)
        self.assertIn("result", response, response)
        return response["result"], out, err

    def changes_of(self, result):
        return [(change["kind"], change["path"]) for change in result["changes"]]

    def apply(self, run_id, paths=None):
        params = {"runId": run_id} if paths is None else {"runId": run_id, "paths": paths}
        response = self.server.request("sandbox/applyChanges", params)
        self.assertIn("result", response, response)
        return response["result"]

    def assertInvalidParams(self, response, *fragments):
        self.assertEqual(response.get("error", {}).get("code"), INVALID_PARAMS, response)
        for fragment in fragments:
            self.assertIn(fragment, response["error"]["message"])


class Changes(OverlayTestCase):
    def test_overlay_is_offered_and_is_the_default(self):
        self.assertIn("overlay", self.server.capabilities["sandbox"]["workspaceModes"])
        ws = self.project({"notes.txt": "host\n"})
        result, out, err = self.run_shell(ws, "echo run >> notes.txt && cat notes.txt", runId="default")
        self.assertEqual((result["status"], out), ("ok", "host\nrun\n"), err)
        started = self.server.run_notifications("default", "sandbox/started")
        self.assertEqual(started[0]["params"]["workspace"], "overlay")
        self.assertEqual(self.changes_of(result), [("modified", "notes.txt")])
        with open(os.path.join(ws, "notes.txt")) as f:
            self.assertEqual(f.read(), "host\n")

    def test_files_folders_and_symlinks_are_listed_then_applied(self):
        ws = self.project({"edit.txt": "old\n", "remove.txt": "bye\n", "tree/a.txt": "a", "run.sh": "echo hi\n",
                           "was-file": "f", "was-folder/in.txt": "i"})
        before = sorted(os.listdir(ws))
        result, _, err = self.run_shell(
            ws, "echo new >> edit.txt && rm remove.txt && rm -r tree && chmod 750 run.sh && mkdir -p made/sub && "
                "echo m > made/sub/m.txt && ln -s made/sub/m.txt link && rm was-file && mkdir was-file && "
                "rm -r was-folder && echo now > was-folder")
        self.assertEqual(result["status"], "ok", err)
        self.assertEqual(self.changes_of(result), [
            ("modified", "edit.txt"), ("added", "link"), ("added", "made"), ("added", "made/sub"),
            ("added", "made/sub/m.txt"), ("deleted", "remove.txt"), ("modified", "run.sh"), ("deleted", "tree"),
            ("modified", "was-file"), ("modified", "was-folder")])
        self.assertEqual(sorted(os.listdir(ws)), before, "nothing reaches the workspace before apply")

        applied = self.apply(result["runId"])
        self.assertEqual(applied, {"applied": [path for _, path in self.changes_of(result)], "conflicts": [],
                                   "failed": []})
        self.assertEqual(read_file(ws, "edit.txt"), "old\nnew\n")
        self.assertFalse(os.path.exists(os.path.join(ws, "remove.txt")))
        self.assertFalse(os.path.exists(os.path.join(ws, "tree")))
        self.assertEqual(mode_of(os.path.join(ws, "run.sh")), 0o750)
        self.assertEqual(os.readlink(os.path.join(ws, "link")), "made/sub/m.txt")
        self.assertEqual(read_file(ws, "made/sub/m.txt"), "m\n")
        self.assertTrue(os.path.isdir(os.path.join(ws, "was-file")))
        self.assertEqual(read_file(ws, "was-folder"), "now\n")
        self.assertFalse([n for n in os.listdir(ws) if n.startswith(".airlock-apply-")])
        self.assertInvalidParams(self.server.request("sandbox/applyChanges", {"runId": result["runId"]}),
                                 "params.runId", result["runId"])

    def test_a_run_that_changes_nothing_has_nothing_to_review(self):
        ws = self.project({"same.txt": "same\n"})
        result, _, err = self.run_shell(ws, "printf 'same\\n' > same.txt && touch same.txt && mkdir d && rmdir d")
        self.assertEqual((result["status"], result["changes"]), ("ok", []), err)
        self.assertInvalidParams(self.server.request("sandbox/discardChanges", {"runId": result["runId"]}),
                                 "params.runId")

    def test_python_imports_leave_no_bytecode_in_the_workspace(self):
        ws = self.project({"main.py": "import helper\nhelper.greet()\n", "helper.py": "def greet():\n    print('hi')\n"})
        response, out, err = self.server.execute(workspaceFolder=ws, file="main.py")
        self.assertEqual((response["result"]["status"], out), ("ok", "hi\n"), err)
        self.assertEqual(response["result"]["changes"], [])

    @unittest.skipUnless(os.geteuid() == 0, "mounting a file system inside the workspace needs root")
    def test_a_workspace_with_a_mount_inside_is_refused_with_the_fix(self):
        ws = self.project({"a.txt": "a"})
        inner = os.path.join(ws, "mounted")
        os.mkdir(inner)
        subprocess.run(["mount", "-t", "tmpfs", "tmpfs", inner], check=True)
        self.addCleanup(subprocess.run, ["umount", "-l", inner], check=True)
        result, _, _ = self.run_shell(ws, "echo x > b.txt")
        self.assertEqual(result["status"], "error", result)
        self.assertIn(f"other file systems mounted inside it ({inner})", result["message"])
        self.assertIn("Fix: run with workspace mode readonly or readwrite", result["message"])
        result, out, _ = self.run_shell(ws, "cat a.txt", policy={"workspace": "readonly"})
        self.assertEqual((result["status"], out), ("ok", "a"))

    def test_other_modes_list_no_changes(self):
        ws = self.project({"a.txt": "a"})
        for mode in ("readonly", "readwrite"):
            result, _, _ = self.run_shell(ws, "echo x > b.txt; true", policy={"workspace": mode})
            self.assertEqual(result["changes"], [], mode)
            self.assertInvalidParams(self.server.request("sandbox/applyChanges", {"runId": result["runId"]}),
                                     "params.runId")


class SymlinkTricks(OverlayTestCase):
    def test_a_symlink_out_of_the_workspace_is_applied_as_a_symlink(self):
        outside = self.outside({"secret.txt": "outside\n"})
        target = os.path.join(outside, "secret.txt")
        ws = self.project({"config": "real\n"})
        result, _, err = self.run_shell(ws, f"ln -s /etc/passwd passwd && rm config && ln -s {target} config")
        self.assertEqual(self.changes_of(result), [("modified", "config"), ("added", "passwd")], err)
        self.assertEqual(self.apply(result["runId"])["applied"], ["config", "passwd"])
        self.assertEqual(os.readlink(os.path.join(ws, "config")), target)
        self.assertEqual(os.readlink(os.path.join(ws, "passwd")), "/etc/passwd")
        self.assertEqual(read_file(outside, "secret.txt"), "outside\n")

    def test_a_folder_the_run_swapped_for_a_symlink_is_replaced_not_followed(self):
        outside = self.outside({"keep.txt": "outside\n"})
        ws = self.project({"sub/file.txt": "host\n"})
        result, _, err = self.run_shell(ws, f"rm -r sub && ln -s {outside} sub && echo x > sub/escaped.txt; true")
        self.assertEqual(self.changes_of(result), [("modified", "sub")], err)
        self.assertEqual(self.apply(result["runId"])["applied"], ["sub"])
        self.assertEqual(os.readlink(os.path.join(ws, "sub")), outside)
        self.assertEqual(sorted(os.listdir(outside)), ["keep.txt"])

    def test_a_host_folder_swapped_for_a_symlink_after_the_run_is_never_written_through(self):
        outside = self.outside()
        ws = self.project({"sub/file.txt": "host\n"})
        result, _, err = self.run_shell(ws, "echo run > sub/file.txt && echo new > sub/new.txt")
        self.assertEqual(self.changes_of(result), [("modified", "sub/file.txt"), ("added", "sub/new.txt")], err)
        shutil.rmtree(os.path.join(ws, "sub"))
        os.symlink(outside, os.path.join(ws, "sub"))
        outcome = self.apply(result["runId"])
        self.assertEqual(outcome["applied"], [])
        refused = outcome["conflicts"] + [failure["path"] for failure in outcome["failed"]]
        self.assertEqual(sorted(refused), ["sub/file.txt", "sub/new.txt"], outcome)
        self.assertEqual(os.listdir(outside), [])


class ProtectedPaths(OverlayTestCase):
    def test_protected_paths_stay_read_only_and_are_never_applied(self):
        ws = self.project({".git/config": "[core]\n", "code.py": "x = 1\n"})
        result, out, err = self.run_shell(
            ws, "echo '[core] hooksPath=/tmp' >> .git/config || echo git-refused; "
                "mkdir -p .vscode && echo '{}' > .vscode/tasks.json && echo x = 2 > code.py")
        self.assertEqual(result["status"], "ok", err)
        self.assertIn("git-refused", out)
        self.assertIn("Read-only file system", err)
        self.assertEqual(self.changes_of(result), [("modified", "code.py")])
        self.assertIn(".vscode: it is or holds a protected path", result["message"])
        self.assertEqual(self.apply(result["runId"])["applied"], ["code.py"])
        self.assertFalse(os.path.exists(os.path.join(ws, ".vscode")))
        self.assertEqual(read_file(ws, ".git/config"), "[core]\n")


class ConfiguredProtectedPaths(OverlayTestCase):
    """The config file's protectedPaths join .git and the rest: read-only in every mode, never applied."""

    def start_server(self):
        return Server("--config", config_file(self, {"protectedPaths": ["secrets", "deploy/prod.yml", "missing"]}))

    WRITE_EACH = ('for path in secrets/key.txt deploy/prod.yml missing/made.txt deploy/dev.yml; do '
                  'mkdir -p "$(dirname "$path")" 2>/dev/null; '
                  'if echo run >> "$path"; then echo "wrote $path"; else echo "refused $path"; fi; done')

    def test_configured_paths_stay_read_only_in_every_mode(self):
        files = {"secrets/key.txt": "key\n", "deploy/prod.yml": "prod\n", "deploy/dev.yml": "dev\n"}
        expected = {
            "readonly": ["refused secrets/key.txt", "refused deploy/prod.yml", "refused missing/made.txt",
                         "refused deploy/dev.yml"],
            # In an overlay a missing protected path may be made inside the run; it is never listed or applied.
            "overlay": ["refused secrets/key.txt", "refused deploy/prod.yml", "wrote missing/made.txt",
                        "wrote deploy/dev.yml"],
            "readwrite": ["refused secrets/key.txt", "refused deploy/prod.yml", "refused missing/made.txt",
                          "wrote deploy/dev.yml"],
        }
        for mode, lines in expected.items():
            ws = self.project(files)
            result, out, err = self.run_shell(ws, self.WRITE_EACH, policy={"workspace": mode})
            self.assertEqual((result["status"], out.splitlines()), ("ok", lines), (mode, err))
            self.assertIn("Read-only file system", err, mode)
            if mode == "overlay":
                self.assertEqual(self.changes_of(result), [("modified", "deploy/dev.yml")])
                self.assertIn("missing: it is or holds a protected path", result["message"])
                self.assertEqual(self.apply(result["runId"])["applied"], ["deploy/dev.yml"])
            self.assertEqual(read_file(ws, "secrets/key.txt"), "key\n", mode)
            self.assertEqual(read_file(ws, "deploy/prod.yml"), "prod\n", mode)
            self.assertEqual(read_file(ws, "deploy/dev.yml"), "dev\n" if mode == "readonly" else "dev\nrun\n", mode)
            self.assertFalse(os.path.exists(os.path.join(ws, "missing")), mode)


class Review(OverlayTestCase):
    def test_apply_some_then_discard_the_rest(self):
        ws = self.project()
        result, _, err = self.run_shell(ws, "mkdir -p a/b && echo 1 > a/b/one.txt && echo 2 > two.txt && echo 3 > three.txt")
        run_id = result["runId"]
        self.assertEqual(self.apply(run_id, ["a/b/one.txt", "two.txt"]),
                         {"applied": ["a", "a/b", "a/b/one.txt", "two.txt"], "conflicts": [], "failed": []})
        self.assertEqual(sorted(os.listdir(ws)), ["a", "two.txt"])
        remaining = self.server.request("sandbox/readChangedFile", {"runId": run_id, "path": "three.txt"})
        self.assertEqual(remaining["result"]["content"], "3\n", remaining)
        applied_again = self.server.request("sandbox/readChangedFile", {"runId": run_id, "path": "two.txt"})
        self.assertInvalidParams(applied_again, "params.path", "two.txt")
        discarded = self.server.request("sandbox/discardChanges", {"runId": run_id})
        self.assertIsNone(discarded.get("result", "missing"), discarded)
        self.assertFalse(os.path.exists(os.path.join(ws, "three.txt")))
        self.assertInvalidParams(self.server.request("sandbox/discardChanges", {"runId": run_id}), "params.runId")

    def test_bad_review_requests_name_the_field(self):
        ws = self.project()
        result, _, _ = self.run_shell(ws, "echo x > made.txt")
        run_id = result["runId"]
        self.assertInvalidParams(self.server.request("sandbox/applyChanges", {"runId": run_id, "paths": ["made.txt", "nope.txt"]}),
                                 "params.paths[1]", "nope.txt")
        self.assertInvalidParams(self.server.request("sandbox/applyChanges", {"runId": "no-such-run"}),
                                 "params.runId", "no-such-run")
        self.assertInvalidParams(self.server.request("sandbox/readChangedFile", {"runId": run_id}), "params.path")
        self.assertInvalidParams(self.server.request("sandbox/readChangedFile", {"runId": run_id, "path": "../x"}),
                                 "params.path")
        self.assertFalse(os.path.exists(os.path.join(ws, "made.txt")), "a refused request applies nothing")
        reused = self.server.request("sandbox/execute", {"workspaceFolder": ws, "runId": run_id, "command": ["true"]})
        self.assertInvalidParams(reused, "params.runId", "waiting for review")

    def test_read_changed_file_gives_text_bytes_links_folders_and_deletions(self):
        ws = self.project({"gone.txt": "bye\n"})
        result, _, err = self.run_shell(
            ws, "printf 'h\\xc3\\xa9llo\\n' > text.txt && chmod 640 text.txt && printf '\\xff\\x00' > bytes.bin && "
                "ln -s text.txt link && mkdir folder && rm gone.txt")
        run_id = result["runId"]

        def read(path):
            response = self.server.request("sandbox/readChangedFile", {"runId": run_id, "path": path})
            self.assertIn("result", response, response)
            return response["result"]

        self.assertEqual(read("text.txt"), {"path": "text.txt", "kind": "added", "type": "file", "encoding": "utf-8",
                                            "content": "héllo\n", "mode": 0o640})
        binary = read("bytes.bin")
        self.assertEqual((binary["encoding"], base64.b64decode(binary["content"])), ("base64", b"\xff\x00"))
        self.assertEqual(read("link"), {"path": "link", "kind": "added", "type": "symlink", "encoding": "utf-8",
                                        "content": None, "target": "text.txt"})
        self.assertEqual(read("folder")["type"], "directory")
        self.assertIsNone(read("folder")["content"])
        self.assertEqual(read("gone.txt"), {"path": "gone.txt", "kind": "deleted", "type": None, "encoding": "utf-8",
                                            "content": None})

    def test_read_changed_file_refuses_files_above_the_cap(self):
        ws = self.project()
        result, _, err = self.run_shell(ws, "head -c 16777217 /dev/zero > big.bin", limits={"diskMB": 32})
        self.assertEqual(result["status"], "ok", err)
        response = self.server.request("sandbox/readChangedFile", {"runId": result["runId"], "path": "big.bin"})
        self.assertInvalidParams(response, "params.path", "16777217 bytes")


class Conflicts(OverlayTestCase):
    def test_a_host_file_changed_during_the_run_is_a_conflict_and_left_alone(self):
        ws = self.project({"shared.txt": "host\n", "mine.txt": "host\n"})
        request = self.server.start_request("sandbox/execute", {
            "workspaceFolder": ws, "runId": "edited-meanwhile",
            "command": ["bash", "-c", "echo run > mine.txt && echo run > shared.txt && echo written && sleep 1"]})
        self.server.wait_notification(lambda m: m["method"] == "sandbox/output" and "written" in m["params"]["text"])
        with open(os.path.join(ws, "shared.txt"), "w") as f:
            f.write("edited by the user\n")
        self.assertFalse(self.server.run_notifications("edited-meanwhile", "sandbox/exited"), "the run is still going")
        result = self.server.wait_response(request)["result"]
        self.assertEqual(self.changes_of(result), [("modified", "mine.txt"), ("modified", "shared.txt")])
        outcome = self.apply(result["runId"])
        self.assertEqual(outcome, {"applied": ["mine.txt"], "conflicts": ["shared.txt"], "failed": []})
        self.assertEqual(read_file(ws, "shared.txt"), "edited by the user\n")
        self.assertEqual(read_file(ws, "mine.txt"), "run\n")

    def test_host_changes_after_the_run_are_conflicts_too(self):
        ws = self.project({"edited.txt": "host\n", "deleted.txt": "host\n", "tree/keep.txt": "host\n"})
        result, _, err = self.run_shell(ws, "echo run > edited.txt && echo run > deleted.txt && rm -r tree && "
                                            "echo run > appeared.txt")
        with open(os.path.join(ws, "edited.txt"), "a") as f:
            f.write("more\n")
        os.unlink(os.path.join(ws, "deleted.txt"))
        with open(os.path.join(ws, "tree/keep.txt"), "a") as f:
            f.write("more\n")
        with open(os.path.join(ws, "appeared.txt"), "w") as f:
            f.write("mine\n")
        outcome = self.apply(result["runId"])
        self.assertEqual(outcome["applied"], [])
        self.assertEqual(outcome["conflicts"], ["appeared.txt", "deleted.txt", "edited.txt", "tree"])
        self.assertEqual(read_file(ws, "tree/keep.txt"), "host\nmore\n")
        self.assertEqual(read_file(ws, "appeared.txt"), "mine\n")


class Crash(OverlayTestCase):
    def test_a_server_killed_while_applying_leaves_each_file_as_it_was_or_as_the_run_left_it(self):
        count, size = 300, 64 * 1024
        names = [f"data/f{n:03}.bin" for n in range(count)]
        ws = self.project({name: b"o" * size for name in names})
        result, _, err = self.run_shell(ws, f"for f in data/*.bin; do head -c {size} /dev/zero | tr '\\0' n > $f; done",
                                        limits={"diskMB": 64})
        self.assertEqual(len(result["changes"]), count, err)
        self.server.start_request("sandbox/applyChanges", {"runId": result["runId"]})
        first = os.path.join(ws, names[0])

        def first_applied():
            with open(first, "rb") as f:
                return f.read(1) == b"n"

        # Changes are applied in path order: the server is killed once the first one is in place.
        self.assertTrue(wait_until(first_applied, timeout=30, interval=0), self.server.read_log())
        os.kill(self.server.proc.pid, 9)
        self.server.proc.wait()

        contents = {}
        for name in names:
            with open(os.path.join(ws, name), "rb") as f:
                contents[name] = f.read()
        self.assertEqual({content for content in contents.values()} - {b"o" * size, b"n" * size}, set(),
                         "a file is neither as it was nor as the run left it")
        applied = [name for name in names if contents[name] == b"n" * size]
        self.assertTrue(0 < len(applied) < count, f"the kill did not land during the apply ({len(applied)} applied)")
        self.assertEqual(applied, names[:len(applied)])

        # The next apply in that folder removes what the killed one left half done.
        self.server.close()
        self.server = self.start_server()
        result, _, err = self.run_shell(ws, f"echo again > {names[-1]}")
        self.assertEqual(self.apply(result["runId"])["applied"], [names[-1]], err)
        self.assertEqual(sorted(os.listdir(os.path.join(ws, "data"))), [os.path.basename(name) for name in names])
        self.assertEqual(sorted(os.listdir(ws)), ["data"])


class Limits(OverlayTestCase):
    def test_the_layer_is_limited_by_disk_mb(self):
        ws = self.project()
        result, _, err = self.run_shell(ws, "head -c 3000000 /dev/zero > big.bin", limits={"diskMB": 1})
        self.assertEqual((result["status"], result["limit"]), ("limit", "disk"), err)
        self.assertIn("No space left on device", err)
        self.assertIn("overlay layer is full", result["message"])
        self.assertEqual(os.listdir(ws), [])


class Cleanup(OverlayTestCase):
    def test_nothing_is_left_after_discard_apply_or_exit(self):
        marker = unique_marker()
        with open("/proc/self/mountinfo") as f:
            mounts_before = f.read()
        ws = self.project()
        first, _, _ = self.run_shell(ws, f"echo a > a.txt; (sleep {marker} &) ; true")
        second, _, _ = self.run_shell(ws, "echo b > b.txt")
        pid = self.server.proc.pid
        self.assertEqual(len(layer_descriptors(pid)), 2)
        self.assertEqual(processes_with_marker(marker), [], "the run's processes died with it")
        self.server.request("sandbox/discardChanges", {"runId": first["runId"]})
        self.assertEqual(len(layer_descriptors(pid)), 1)
        self.apply(second["runId"])
        self.assertEqual(layer_descriptors(pid), [])

        third, _, _ = self.run_shell(ws, "echo c > c.txt")
        self.assertEqual(len(layer_descriptors(pid)), 1)
        self.assertEqual(self.server.close(), 0)
        self.assertFalse(os.path.exists(f"/proc/{pid}"))
        with open("/proc/self/mountinfo") as f:
            self.assertEqual(f.read(), mounts_before)
        self.assertEqual(sorted(os.listdir(ws)), ["b.txt"])
        self.server = self.start_server()

    def test_a_killed_server_leaves_nothing_on_disk(self):
        ws = self.project()
        result, _, _ = self.run_shell(ws, "echo a > a.txt")
        self.assertEqual(self.changes_of(result), [("added", "a.txt")])
        pid = self.server.proc.pid
        os.kill(pid, 9)
        self.server.proc.wait()
        self.assertEqual(os.listdir(ws), [])
        self.server.close()
        self.server = self.start_server()
