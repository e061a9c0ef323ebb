"""Attacks on the kernel's privileged or risky interfaces: keyrings, bpf, perf, io_uring, userfaultfd, mounts,
nested user namespaces, setuid programs, capabilities, machine administration calls, /proc and /sys knobs, and
device nodes. Host state an attack could change (the user's keys, kernel knobs) must be unchanged afterwards."""

import ctypes
import errno
import os
import unittest

from airlock_client import AttackTestCase, protection_active, requires_protection, sandbox_uid, tree_snapshot


def host_keys_of(uid):
    """The host's line of /proc/key-users for `uid` (its key count and quota use), or None."""
    with open("/proc/key-users") as f:
        for line in f:
            if line.split(":")[0].strip() == str(uid):
                return line
    return None


def read_host(path):
    with open(path) as f:
        return f.read()


def refusal(kernel_has_it):
    """What a refused call returns: EPERM where this kernel has the call, ENOSYS where it was built without it."""
    return "EPERM" if kernel_has_it else "ENOSYS"


def filtered(kernel_has_it):
    return "EPERM" if protection_active("seccomp") else refusal(kernel_has_it)


def device_refusal():
    """Landlock refuses making device nodes before the kernel's capability check does."""
    return "EACCES" if protection_active("landlock") else "EPERM"


def host_has_io_ports():
    # Revoking port access nobody was granted is a no-op where the call exists.
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.ioperm(0x80, 1, 0) == 0 or ctypes.get_errno() != errno.ENOSYS


class SystemCallSurfaces(AttackTestCase):
    @requires_protection("seccomp")
    def test_keyring(self):
        before = host_keys_of(sandbox_uid())
        run = self.attack("keyring.c")
        self.assertHeld(run, {"add-user-key": "EPERM", "add-session-key": "EPERM", "join-named-keyring": "EPERM",
                              "request-key": "EPERM", "read-user-keyring": "EPERM"})
        self.assertEqual(host_keys_of(sandbox_uid()), before)

    @requires_protection("seccomp")
    def test_bpf(self):
        run = self.attack("bpf.c")
        self.assertHeld(run, {"map-create": "EPERM", "prog-load": "EPERM"})

    @requires_protection("seccomp")
    def test_perf_events(self):
        run = self.attack("perf_event.c")
        self.assertHeld(run, {"own-process": "EPERM", "whole-cpu": "EPERM"})

    @requires_protection("seccomp")
    def test_io_uring(self):
        run = self.attack("io_uring.c")
        self.assertHeld(run, {"setup": "EPERM"})

    @requires_protection("seccomp")
    def test_userfaultfd(self):
        run = self.attack("userfaultfd.c")
        self.assertHeld(run, {"syscall": "EPERM", "device": "ENOENT"})

    @requires_protection("seccomp")
    def test_nested_user_namespaces(self):
        run = self.attack("nested_user_namespace.c")
        self.assertHeld(run, {"clone-newuser": "EPERM", "unshare-newuser": "EPERM"})


class Mounts(AttackTestCase):
    def test_mounts_cannot_change(self):
        run = self.attack("mount_surfaces.c")
        self.assertHeld(run, {"mount-tmpfs": "EPERM", "remount-workspace-rw": "EPERM", "bind-root": "EPERM",
                              "umount-workspace": "EPERM", "umount-proc": "EPERM", "fsopen": "EPERM",
                              "open-tree-clone": "EPERM", "pivot-root": "EPERM", "chroot": "EPERM",
                              "unshare-mount-namespace": "EPERM"})

    @unittest.skipUnless(os.geteuid() == 0, "a root-owned file needs root")
    def test_root_of_a_nested_user_namespace_cannot_undo_the_mounts(self):
        ws = self.attack_workspace("remount_from_user_namespace.c")
        secret = os.path.join(ws, "root-only.txt")
        with open(secret, "w") as f:
            f.write("TOP-SECRET")
        os.chmod(secret, 0o600)
        before = tree_snapshot(ws)
        run = self.run_attack(ws, "remount_from_user_namespace.c", "root-only.txt")
        if protection_active("seccomp"):
            # The filter refuses the namespace itself, so none of the rest is tried.
            self.assertHeld(run, {"unshare": "EPERM"})
        else:
            # The kernel locks the mounts a less privileged namespace inherited.
            self.assertHeld(run, {"unshare": "done", "remount-workspace-rw": "EPERM", "remount-root-rw": "EPERM",
                                  "umount-workspace": "EINVAL", "mount-proc": "EPERM", "write-workspace": "EROFS",
                                  "read-root-only-file": "EACCES"})
        self.assertEqual(tree_snapshot(ws), before)


class Privileges(AttackTestCase):
    def test_setuid_programs_give_no_privileges(self):
        run = self.attack("setuid_binaries.c")
        expected = {f"setuid:/usr/bin/{name}": "unprivileged" for name in ["su", "passwd", "chsh", "newgrp", "mount"]}
        expected["no-new-privs"] = "set"
        self.assertHeld(run, expected)

    def test_no_capabilities_and_none_to_gain(self):
        run = self.attack("capabilities.c")
        self.assertHeld(run, {"CapEff": "empty", "CapPrm": "empty", "CapInh": "empty", "CapBnd": "empty",
                              "CapAmb": "empty", "setuid-0": "EINVAL", "setgid-0": "EINVAL", "capset-all": "EPERM",
                              "ambient-raise": "EPERM", "securebits": "EPERM", "chroot": "EPERM",
                              "chown-to-root": "EINVAL", "setgroups": "EPERM"})

    def test_machine_administration_calls(self):
        modules, kexec, io_ports = os.path.exists("/proc/modules"), os.path.exists("/sys/kernel/kexec_loaded"), \
            host_has_io_ports()
        run = self.attack("kernel_admin_calls.c")
        self.assertHeld(run, {
            # The system call filter refuses module and kexec calls itself, whatever the kernel was built with.
            "init-module": filtered(modules), "finit-module": filtered(modules), "delete-module": filtered(modules),
            "kexec-load": filtered(kexec), "reboot": "EPERM", "swapon": "EPERM", "settimeofday": "EPERM",
            "clock-settime": "EPERM", "iopl": refusal(io_ports), "ioperm": refusal(io_ports),
            "read-kernel-log": "EPERM", "acct": "EPERM", "mknod-block": device_refusal(), "mknod-char": device_refusal(),
            "sethostname": "EPERM", "setdomainname": "EPERM"})


class KernelFiles(AttackTestCase):
    def test_proc_and_sys_knobs(self):
        # A kernel without modules has no modprobe knob, one without magic SysRq no trigger: absent, not refused.
        def refused_or_absent(path):
            return "EACCES" if os.path.exists(path) else "ENOENT"
        knobs = [knob for knob in ["/proc/sys/kernel/core_pattern", "/proc/sys/kernel/modprobe"] if os.path.exists(knob)]
        before = {knob: read_host(knob) for knob in knobs}
        run = self.attack("proc_sys_knobs.sh")
        self.assertHeld(run, {"core_pattern": "EACCES", "drop_caches": "EACCES",
                              "sysrq-trigger": refused_or_absent("/proc/sysrq-trigger"),
                              "modprobe": refused_or_absent("/proc/sys/kernel/modprobe"),
                              "uevent_helper": "ENOENT", "release_agent": "ENOENT"})
        self.assertEqual({knob: read_host(knob) for knob in knobs}, before)

    def test_device_nodes(self):
        run = self.attack("device_nodes.c")
        self.assertHeld(run, {device: "ENOENT" for device in [
            "/dev/mem", "/dev/kmem", "/dev/port", "/dev/kmsg", "/dev/vda", "/dev/sda", "/dev/nvme0n1", "/dev/ptmx",
            "/dev/console", "/dev/net/tun", "/dev/fuse", "/dev/kvm", "/dev/loop-control"]})


if __name__ == "__main__":
    unittest.main()
