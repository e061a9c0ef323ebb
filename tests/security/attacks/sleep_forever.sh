#!/usr/bin/env bash
# Never ends on its own: a child sleeps while the script waits for it (argv: the sleep's length in seconds,
# which doubles as a marker the host can find).
sleep "$1" &
wait
