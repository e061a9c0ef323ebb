"""Attacks that read the host's secrets: system files, home folders, files in the workspace the sandbox's user
must not read, and host files reached through /proc or by inode handle. Each checks the verdict of every probe
and that the secrets are unchanged afterwards."""

import os
import shutil
import tempfile
import unittest

from airlock_client import AttackTestCase, tree_snapshot

OTHER_UID = 4242


class SystemSecrets(AttackTestCase):
    def test_system_secrets_are_absent(self):
        run = self.attack("read_system_secrets.sh")
        self.assertHeld(run, {f"read:{path}": "ENOENT" for path in [
            "/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/ssh/ssh_host_ed25519_key", "/root/.bash_history",
            "/root/.ssh/id_rsa", "/var/log/auth.log"]})
        self.assertEqual(run.result["status"], "ok")


class HomeFolders(AttackTestCase):
    def test_the_home_around_the_workspace_stays_hidden(self):
        home = tempfile.mkdtemp(prefix="airlock-home-")
        self.addCleanup(shutil.rmtree, home, ignore_errors=True)
        os.chmod(home, 0o755)
        os.mkdir(os.path.join(home, ".ssh"), 0o755)
        key = os.path.join(home, ".ssh", "id_ed25519")
        with open(key, "w") as f:
            f.write("PRIVATE KEY")
        os.chmod(key, 0o644)  # readable by everyone on the host: only the sandbox's view may hide it
        before = tree_snapshot(home)
        ws = self.attack_workspace("read_home_folders.py", under=home)
        own_home = os.path.expanduser("~")
        run = self.run_attack(ws, "read_home_folders.py", home, key, own_home)
        self.assertHeld(run, {
            "list:/home": "ENOENT", "list:/root": "ENOENT", f"list:{own_home}/.ssh": "ENOENT",
            f"read:{key}": "ENOENT", "read:../.ssh/id_ed25519": "ENOENT", "list:..": "only-workspace"})
        shutil.rmtree(ws)
        self.assertEqual(tree_snapshot(home), before)


@unittest.skipUnless(os.geteuid() == 0, "making files of root and of other users needs root")
class UnreadableWorkspaceFiles(AttackTestCase):
    def test_root_only_file_in_the_workspace_stays_unreadable(self):
        ws = self.attack_workspace("read_root_only_file.c", writable=True)
        secret = os.path.join(ws, "secret.txt")
        with open(secret, "w") as f:
            f.write("TOP-SECRET")
        os.chown(secret, 0, 0)
        os.chmod(secret, 0o600)
        before = tree_snapshot(ws)
        run = self.run_attack(ws, "read_root_only_file.c", "secret.txt", policy={"workspace": "readwrite"})
        self.assertHeld(run, {"open-read": "EACCES", "reopen-o-path": "EACCES", "chmod": "EPERM",
                              "hardlink-then-read": "EPERM"})
        self.assertEqual(tree_snapshot(ws), before)

    def test_other_users_files_stay_unreadable(self):
        ws = self.attack_workspace("read_other_users_files.py")
        private_folder = os.path.join(ws, "theirs")
        os.mkdir(private_folder)
        secrets = {"private.txt": (0o600, ws), "group-only.txt": (0o640, ws), "open-file.txt": (0o644, private_folder)}
        for name, (mode, folder) in secrets.items():
            path = os.path.join(folder, name)
            with open(path, "w") as f:
                f.write("THEIR SECRET")
            os.chown(path, OTHER_UID, OTHER_UID)
            os.chmod(path, mode)
        os.chown(private_folder, OTHER_UID, OTHER_UID)
        os.chmod(private_folder, 0o700)
        before = tree_snapshot(ws)
        run = self.run_attack(ws, "read_other_users_files.py", "private.txt", "group-only.txt", "theirs/open-file.txt")
        self.assertHeld(run, {"read:private.txt": "EACCES", "read:group-only.txt": "EACCES",
                              "read:theirs/open-file.txt": "EACCES"})
        self.assertEqual(tree_snapshot(ws), before)


class HostFilesByOtherRoutes(AttackTestCase):
    def test_proc_magic_links_do_not_reach_host_files(self):
        surroundings = tempfile.mkdtemp(prefix="airlock-around-")
        self.addCleanup(shutil.rmtree, surroundings, ignore_errors=True)
        os.chmod(surroundings, 0o755)
        secret = os.path.join(surroundings, "next-to-workspace.txt")
        with open(secret, "w") as f:
            f.write("HOST SECRET")
        os.chmod(secret, 0o644)
        before = tree_snapshot(surroundings)
        ws = self.attack_workspace("read_via_proc_links.py", under=surroundings)
        run = self.run_attack(ws, "read_via_proc_links.py", secret, os.path.relpath(secret, ws))
        self.assertHeld(run, {"proc-self-root": "ENOENT", "proc-self-cwd": "ENOENT", "proc-init-root": "EACCES",
                              "proc-init-cwd": "EACCES", "proc-init-root-shadow": "EACCES"})
        shutil.rmtree(ws)
        self.assertEqual(tree_snapshot(surroundings), before)

    def test_file_handles_cannot_open_inodes_outside_the_mount(self):
        # A readwrite workspace is a bind of the host's file system: handles exist and opening them is refused.
        run = self.attack("open_by_handle.c", policy={"workspace": "readwrite"})
        self.assertHeld(run, {"open-own-handle": "EPERM", "open-filesystem-root": "EPERM"})
        # A readonly workspace is an overlay, which hands out no handles to begin with.
        run = self.attack("open_by_handle.c", policy={"workspace": "readonly"})
        self.assertHeld(run, {"name-to-handle": "EOPNOTSUPP"})


if __name__ == "__main__":
    unittest.main()
