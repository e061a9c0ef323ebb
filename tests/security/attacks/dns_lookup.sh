#!/usr/bin/env bash
# Resolves names and talks to the host's name servers: through the C library, straight to the configured
# server over UDP and TCP, and to a local resolver on loopback (argv: the host's name server address).
source "$(dirname "${BASH_SOURCE[0]}")/verdict.sh"
nameserver=$1

if getent hosts deb.debian.org >/dev/null; then verdict resolve ESCAPED; else verdict resolve "not-found"; fi
attempt resolv.conf cat /etc/resolv.conf
attempt "udp:nameserver" bash -c 'exec 3<>"/dev/udp/$0/53"; echo query >&3' "$nameserver"
attempt "tcp:nameserver" bash -c 'exec 3<>"/dev/tcp/$0/53"' "$nameserver"
attempt "tcp:local-resolver" bash -c 'exec 3<>/dev/tcp/127.0.0.53/53'
