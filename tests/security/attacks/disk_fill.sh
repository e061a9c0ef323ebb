#!/usr/bin/env bash
# Fills every writable place of the sandbox: /tmp (and the home folder in it) and /dev/shm, writing up to
# 64 MiB into each, then reports how much all of them took together.
source "$(dirname "${BASH_SOURCE[0]}")/verdict.sh"

fill() { dd if=/dev/zero of="$1" bs=1M count=64 status=none; }
attempt "fill:/tmp" fill /tmp/fill
attempt "fill:home" fill "$HOME/fill"
attempt "fill:/dev/shm" fill /dev/shm/fill
total=$(( $(stat -c %s /tmp/fill) + $(stat -c %s "$HOME/fill") + $(stat -c %s /dev/shm/fill) ))
verdict total-bytes "$total"
