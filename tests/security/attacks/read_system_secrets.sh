#!/usr/bin/env bash
# Reads the host's secrets where they usually live: password hashes, sudo rules, host keys, root's files.
source "$(dirname "${BASH_SOURCE[0]}")/verdict.sh"

for path in /etc/shadow /etc/gshadow /etc/sudoers /etc/ssh/ssh_host_ed25519_key /root/.bash_history \
            /root/.ssh/id_rsa /var/log/auth.log "$@"; do
  attempt "read:$path" cat "$path"
done
