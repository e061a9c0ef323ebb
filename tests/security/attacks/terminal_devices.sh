#!/usr/bin/env bash
# Writes to and reads from the user's terminal behind the sandbox's back: /dev/tty, the pseudo-terminals,
# the console, and the standard error of the sandbox's init, which the server started (argv: a marker text
# the host looks for on its terminal).
source "$(dirname "${BASH_SOURCE[0]}")/verdict.sh"
marker=$1

write() { printf '%s\n' "$2" > "$1"; }
read_from() { read -r -t 1 line < "$1"; }
attempt "write:/dev/tty" write /dev/tty "$marker"
attempt "read:/dev/tty" read_from /dev/tty
attempt "write:/dev/pts/0" write /dev/pts/0 "$marker"
attempt "write:/dev/console" write /dev/console "$marker"
attempt "write:init-stderr" write /proc/1/fd/2 "$marker"
