"""Isolation "vm" with the guest's system from the system disk (sandbox/vm/make-guest-system) instead of the host's
9p shares, as a Hyper-V guest gets it: the disk is a read-only virtio-blk drive here (AIRLOCK_VM_SYSTEM_DISK), the
agent finds it by its ext4 label and binds its folders. Under TCG, so one run checks as much as it can."""

import json
import os
import platform
import shutil
import subprocess
import tempfile
import unittest

from airlock_client import Server, ServerTestCase, server_command
from test_vm import NO_IMAGE, RUN_TIMEOUT, vm_env, vm_image_missing

MAKE_GUEST_SYSTEM = os.path.join(os.path.dirname(__file__), "../../sandbox/vm/make-guest-system")
_disk_folder = None


def system_disk():
    """The disk built (or taken from its cache) into a folder the unprivileged server can read too."""
    global _disk_folder
    if _disk_folder is None:
        _disk_folder = tempfile.mkdtemp(prefix="airlock-vm-system-")
        os.chmod(_disk_folder, 0o755)
        subprocess.run([MAKE_GUEST_SYSTEM, _disk_folder], check=True, timeout=600)
    return os.path.join(_disk_folder, "system.ext4")


def tearDownModule():
    if _disk_folder is not None:
        shutil.rmtree(_disk_folder, ignore_errors=True)


PROBE = r"""
set -e
python3 - <<'EOF'
import os, sys
mounts = [line.split() for line in open('/proc/self/mounts')]
usr = next(m for m in mounts if m[1] == '/usr')
print('usr', usr[2], 'ro' in usr[3].split(','), 'nosuid' in usr[3].split(','))
print('9p', ' '.join(sorted(m[1] for m in mounts if m[2] == '9p')))
print('python', sys.version_info.major, os.path.realpath('/bin'))
EOF
node -e 'console.log("node", typeof process.version)'
cat > /tmp/p.c <<'END'
#include <math.h>
#include <stdio.h>
int main(void) { printf("c %.0f\n", sqrt(49.0)); return 0; }
END
# As the built-in c language's step does.
cc -std=c17 -Wall -O1 -fdiagnostics-format=json -o /tmp/p /tmp/p.c -lm
/tmp/p
cat > /tmp/q.cpp <<'END'
#include <iostream>
#include <string>
int main() { std::cout << "c++ " << std::string(3, 'x') << "\n"; }
END
c++ -std=c++20 -Wall -O1 -fdiagnostics-format=json -o /tmp/q /tmp/q.cpp
/tmp/q
"""


@unittest.skipIf(platform.machine() != "x86_64", "the VM backend runs x86_64 guests")
@unittest.skipIf(vm_image_missing(), NO_IMAGE)
class VmSystemDisk(ServerTestCase):
    def start_server(self):
        return Server(env=vm_env(AIRLOCK_VM_SYSTEM_DISK=system_disk()))

    def test_python_node_c_and_cpp_run_from_the_disk_not_from_host_shares(self):
        ws = self.workspace()
        response, out, err = self.server.execute(timeout=RUN_TIMEOUT, runId="disk", workspaceFolder=ws,
                                                 command=["bash", "-c", PROBE],
                                                 policy={"isolation": "vm", "workspace": "readonly"})
        result = response["result"]
        self.assertEqual(result["status"], "ok", (out, err, result))
        lines = dict(line.split(" ", 1) for line in out.splitlines())
        # /usr is the disk's ext4, read-only and nosuid; the only 9p mount left is the workspace.
        self.assertEqual(lines["usr"], "ext4 True True")
        self.assertEqual(lines["9p"], ws)
        self.assertEqual(lines["python"], "3 /usr/bin")
        self.assertEqual(lines["node"], "string")
        self.assertEqual(lines["c"], "7")
        self.assertEqual(lines["c++"], "xxx")
        # Each clean compile's JSON diagnostics: an empty list (the command is not a language, so nothing renders it).
        self.assertEqual(err, "[]\n[]\n")


@unittest.skipIf(platform.machine() != "x86_64", "the VM backend runs x86_64 guests")
@unittest.skipIf(vm_image_missing(), NO_IMAGE)
class VmSystemDiskWithoutBoot(unittest.TestCase):
    def test_doctor_names_the_disk(self):
        doctor = subprocess.run(server_command("doctor", "--json"), capture_output=True, text=True, timeout=60,
                                env=vm_env(AIRLOCK_VM_SYSTEM_DISK=system_disk()))
        report = json.loads(doctor.stdout)
        system = next(p for p in report["protections"] if p["isolation"] == "vm" and p["name"] == "guest system")
        self.assertIn(system_disk(), system["detail"])

    def test_the_hyper_v_form_is_a_fixed_vhd_of_the_same_disk(self):
        subprocess.run([MAKE_GUEST_SYSTEM, "--vhd", os.path.dirname(system_disk())], check=True, timeout=600)
        vhd = os.path.join(os.path.dirname(system_disk()), "system.vhd")
        with open(system_disk(), "rb") as raw, open(vhd, "rb") as fixed:
            # A fixed VHD is the disk's bytes followed by a 512-byte footer ("conectix", big-endian fields).
            while chunk := raw.read(1 << 20):
                self.assertEqual(fixed.read(len(chunk)), chunk)
            rest = fixed.read()
        footer = rest[-512:]
        self.assertEqual(footer[:8], b"conectix")
        self.assertEqual(int.from_bytes(footer[60:64], "big"), 2, "disk type 2 is a fixed disk")
        self.assertGreaterEqual(int.from_bytes(footer[48:56], "big"), os.path.getsize(system_disk()))
        self.assertEqual(rest[:-512].strip(b"\0"), b"", "only zeros pad the disk up to the VHD's geometry")

    def test_an_unreadable_disk_is_refused_with_the_fix(self):
        server = Server(env=vm_env(AIRLOCK_VM_SYSTEM_DISK="/nonexistent-airlock/system.ext4"))
        try:
            response = server.request("sandbox/execute", {"workspaceFolder": tempfile.gettempdir(), "command": ["true"],
                                                          "policy": {"isolation": "vm"}})
            self.assertEqual(response["error"]["code"], -32010, response)
            self.assertIn("make-guest-system", response["error"]["message"])
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main()
