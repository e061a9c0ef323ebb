#!/usr/bin/env bash
# In a writable workspace that has none of the protected folders yet, creates them with content a host
# tool would act on: an IDE's run configuration, Airlock's own settings, editor tasks, git hooks.
source "$(dirname "${BASH_SOURCE[0]}")/verdict.sh"

create() { mkdir -p "$(dirname "$1")" && echo "$2" > "$1"; }
attempt "create:.idea" create .idea/workspace.xml '<project/>'
attempt "create:.airlock" create .airlock/config.json '{}'
attempt "create:.vscode/tasks.json" create .vscode/tasks.json '{"runOn": "folderOpen"}'
attempt "create:.git/hooks/post-checkout" create .git/hooks/post-checkout 'touch /tmp/pwned'
