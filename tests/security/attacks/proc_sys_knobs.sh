#!/usr/bin/env bash
# Writes the kernel knobs that containers have escaped through: the core dump and module helpers run as
# root on the host, sysrq, the uevent helper, cache dropping, and the cgroup release agent.
source "$(dirname "${BASH_SOURCE[0]}")/verdict.sh"

write() { echo "$2" > "$1"; }
attempt core_pattern write /proc/sys/kernel/core_pattern '|/tmp/escape'
attempt modprobe write /proc/sys/kernel/modprobe /tmp/escape
attempt drop_caches write /proc/sys/vm/drop_caches 3
attempt sysrq-trigger write /proc/sysrq-trigger h
attempt uevent_helper write /sys/kernel/uevent_helper /tmp/escape
attempt release_agent write /sys/fs/cgroup/release_agent /tmp/escape
