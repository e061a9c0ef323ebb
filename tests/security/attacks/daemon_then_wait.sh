#!/usr/bin/env bash
# Leaves a process behind in a session of its own, then keeps the run going, so that the run ends from
# outside: cancelled, or with the server gone (argv: the sleep's length in seconds, which doubles as a
# marker the host can find).
source "$(dirname "${BASH_SOURCE[0]}")/verdict.sh"

setsid sleep "$1" < /dev/null > /dev/null 2>&1 &
disown
verdict daemon started
exec sleep "$1"
