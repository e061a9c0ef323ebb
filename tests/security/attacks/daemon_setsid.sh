#!/usr/bin/env bash
# Leaves a process behind in a session of its own and ends at once (argv: the sleep's length in seconds,
# which doubles as a marker the host can find).
source "$(dirname "${BASH_SOURCE[0]}")/verdict.sh"

setsid sleep "$1" < /dev/null > /dev/null 2>&1 &
disown
if kill -0 $! 2>/dev/null; then verdict daemon started; else verdict daemon not-started; fi
