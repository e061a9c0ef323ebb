#!/usr/bin/env bash
# Hunts for the server's environment (cloud keys, tokens, the agent and session sockets): in its own
# environment, in every /proc/<pid>/environ and cmdline, and in the files of its home (argv: the secret,
# reversed so that this script's own command line does not hold it; the name of a variable the request set).
source "$(dirname "${BASH_SOURCE[0]}")/verdict.sh"
secret=$(rev <<< "$1")
requested=$2

found=()
env | grep -qF "$secret" && found+=(env)
for file in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do
  grep -qaF "$secret" "$file" 2>/dev/null && found+=("$file")
done
grep -rqaF "$secret" "$HOME" 2>/dev/null && found+=(home)
if [ ${#found[@]} -eq 0 ]; then verdict secret absent; else verdict secret "ESCAPED:${found[*]}"; fi

leaked=()
for name in AWS_SECRET_ACCESS_KEY GITHUB_TOKEN SSH_AUTH_SOCK DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR DISPLAY \
            WAYLAND_DISPLAY LD_PRELOAD; do
  [ -n "${!name+set}" ] && leaked+=("$name")
done
if [ ${#leaked[@]} -eq 0 ]; then verdict host-variables none; else verdict host-variables "ESCAPED:${leaked[*]}"; fi
# The scan itself works: a variable the request asked for is there.
if [ -n "${!requested+set}" ]; then verdict requested-variable present; else verdict requested-variable missing; fi
