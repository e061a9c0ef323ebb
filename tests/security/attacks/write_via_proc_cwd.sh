#!/usr/bin/env bash
# Writes next to the workspace through /proc/<pid>/cwd, the magic link to a process's working directory:
# of this shell, of a child, and of the sandbox's init (argv: the file next to the workspace, by name).
source "$(dirname "${BASH_SOURCE[0]}")/verdict.sh"
canary_name=$1

write() { echo escaped > "$1"; }
open_existing() { echo escaped 1<> "$1"; }
sleep 30 &
child=$!
for who in self "$$" "$child" 1; do
  name=$who
  [ "$who" = "$$" ] && name=shell
  [ "$who" = "$child" ] && name=child
  [ "$who" = 1 ] && name=init
  attempt "create-beside:$name" write "/proc/$who/cwd/../escaped"
  attempt "open-canary:$name" open_existing "/proc/$who/cwd/../$canary_name"
done
kill "$child"
