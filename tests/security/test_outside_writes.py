"""Attacks that write outside the workspace: straight to host folders, through symlinks and hard links planted in
the writable workspace, through /proc/<pid>/root and /proc/<pid>/cwd, and by climbing out with "..". The workspace
sits in a host folder that the sandbox's user could write to on the host, next to a file that user owns; the
folder must be unchanged afterwards, as must the protected folders of the workspace."""

import os
import shutil
import tempfile
import unittest

from airlock_client import AttackTestCase, read_file, sandbox_uid, tree_snapshot

READWRITE = {"workspace": "readwrite"}


class OutsideWrites(AttackTestCase):
    def setUp(self):
        super().setUp()
        # Not under /tmp: the sandbox has its own /tmp, so the folders above the workspace are the read-only root's.
        self.surroundings = tempfile.mkdtemp(prefix="airlock-around-", dir="/var/tmp")
        self.addCleanup(shutil.rmtree, self.surroundings, ignore_errors=True)
        os.chmod(self.surroundings, 0o777)
        self.canary = os.path.join(self.surroundings, "canary.txt")
        with open(self.canary, "w") as f:
            f.write("host content")
        os.chmod(self.canary, 0o666)
        if os.geteuid() == 0:
            os.chown(self.canary, sandbox_uid(), sandbox_uid())

    def attack_beside(self, attack, *args):
        """Runs `attack` in a writable workspace inside the surrounding folder; checks the folder is unchanged."""
        self.ws = self.attack_workspace(attack, writable=True, under=self.surroundings)
        before = self.outside_workspace()
        run = self.run_attack(self.ws, attack, *args, policy=READWRITE)
        self.assertEqual(self.outside_workspace(), before, run.stdout)
        self.assertEqual(read_file(self.surroundings, "canary.txt"), "host content")
        return run

    def outside_workspace(self):
        inside = os.path.basename(self.ws)
        return {path: entry for path, entry in tree_snapshot(self.surroundings).items()
                if path != inside and not path.startswith(inside + os.sep)}

    def test_direct_writes_to_host_folders(self):
        run = self.attack_beside("write_outside_direct.sh", self.surroundings, self.canary)
        self.assertHeld(run, {"create:surroundings": "EROFS", "overwrite:canary": "EROFS", "create:/": "EROFS",
                              "create:/etc": "EROFS", "create:/usr": "EROFS", "create:/usr/lib": "EROFS",
                              "create:/tmp/..": "EROFS", "create:/airlock": "EROFS", "create:/dev": "EROFS"})
        for folder in ["/", "/etc", "/usr", "/usr/lib", "/dev"]:
            self.assertEqual([n for n in os.listdir(folder) if n.startswith("escaped-")], [], folder)

    def test_symlinks_planted_in_the_workspace(self):
        run = self.attack_beside("write_via_symlink.py", self.surroundings, self.canary)
        self.assertHeld(run, {"create-through-folder-link": "EROFS", "overwrite-through-file-link": "ENOENT",
                              "overwrite-through-relative-link": "ENOENT", "overwrite-passwd-through-link": "EROFS"})
        # The links stay in the workspace, pointing out of it: the host never follows them on its own.
        self.assertEqual(os.readlink(os.path.join(self.ws, "link-to-canary")), self.canary)

    def test_hard_links_planted_in_the_workspace(self):
        passwd_before = read_file("/etc", "passwd")
        run = self.attack_beside("write_via_hardlink.c", self.canary)
        self.assertHeld(run, {"link-canary": "ENOENT", "link-passwd": "EXDEV", "link-python": "EXDEV",
                              "link-private-tmp": "EXDEV", "linkat-tmpfile": "EXDEV"})
        self.assertEqual(read_file("/etc", "passwd"), passwd_before)
        self.assertEqual(os.stat(self.canary).st_nlink, 1)

    def test_proc_root_links(self):
        run = self.attack_beside("write_via_proc_root.py", self.surroundings, self.canary)
        self.assertHeld(run, {"self-root-canary": "ENOENT", "self-root-surroundings": "EROFS",
                              "self-root-etc": "EROFS", "thread-root-canary": "ENOENT", "init-root-canary": "EACCES",
                              "init-root-surroundings": "EACCES"})

    def test_proc_cwd_links(self):
        run = self.attack_beside("write_via_proc_cwd.sh", "canary.txt")
        expected = {}
        for who in ["self", "shell", "child"]:
            expected.update({f"create-beside:{who}": "EROFS", f"open-canary:{who}": "EROFS"})
        expected.update({"create-beside:init": "EACCES", "open-canary:init": "EACCES"})
        self.assertHeld(run, expected)

    def test_dot_dot_traversal(self):
        run = self.attack_beside("write_via_dotdot.py", "canary.txt")
        self.assertHeld(run, {"create-in-parent": "EROFS", "overwrite-canary": "ENOENT", "create-at-top": "EROFS",
                              "mkdir-in-parent": "EROFS", "rename-into-parent": "EXDEV",
                              "openat-parent-canary": "ENOENT", "openat-parent-create": "EROFS",
                              "create-after-chdir-up": "EROFS"})
        self.assertEqual(read_file(self.ws, "mine.txt"), "mine")


class ProtectedPaths(AttackTestCase):
    def test_existing_protected_folders_of_a_writable_workspace(self):
        ws = self.attack_workspace("write_protected_paths.sh", writable=True, files={
            ".git/config": "[core]\n", ".git/hooks/README": "sample\n", ".vscode/tasks.json": "{}\n"})
        before = tree_snapshot(ws)
        run = self.run_attack(ws, "write_protected_paths.sh", policy=READWRITE)
        self.assertHeld(run, {"append:.git/config": "EROFS", "create:.git/hooks/pre-commit": "EROFS",
                              "append:.vscode/tasks.json": "EROFS", "rename:.git": "EBUSY", "remove:.vscode": "EROFS",
                              "link-into:.git": "EROFS"})
        self.assertEqual(tree_snapshot(ws), before)

    def test_missing_protected_folders_cannot_be_created(self):
        # A project without .idea or .airlock: a run must not add them (an IDE would run what they configure).
        ws = self.attack_workspace("create_protected_paths.sh", writable=True)
        before = tree_snapshot(ws)
        run = self.run_attack(ws, "create_protected_paths.sh", policy=READWRITE)
        self.assertHeld(run, {"create:.idea": "EROFS", "create:.airlock": "EROFS", "create:.vscode/tasks.json": "EROFS",
                              "create:.git/hooks/post-checkout": "EROFS"})
        self.assertEqual(tree_snapshot(ws), before)


if __name__ == "__main__":
    unittest.main()
