#!/usr/bin/env bash
# Writes straight to host places outside the workspace: the folder around it, a file there that the
# sandbox's user owns on the host, and the system folders (argv: the surrounding folder, the file).
source "$(dirname "${BASH_SOURCE[0]}")/verdict.sh"
surroundings=$1 canary=$2

write() { echo escaped > "$1"; }
attempt "create:surroundings" write "$surroundings/escaped"
attempt "overwrite:canary" write "$canary"
for folder in / /etc /usr /usr/lib /tmp/.. /airlock /dev; do
  attempt "create:$folder" write "$folder/escaped-$$"
done
