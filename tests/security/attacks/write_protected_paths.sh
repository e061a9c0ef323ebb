#!/usr/bin/env bash
# In a writable workspace, goes after the folders that make a host tool run code later: git's config and
# hooks, the editor's tasks.
source "$(dirname "${BASH_SOURCE[0]}")/verdict.sh"

append() { echo "$2" >> "$1"; }
attempt "append:.git/config" append .git/config $'[core]\n\tfsmonitor = touch /tmp/pwned'
attempt "create:.git/hooks/pre-commit" append .git/hooks/pre-commit 'touch /tmp/pwned'
attempt "append:.vscode/tasks.json" append .vscode/tasks.json '{"runOn": "folderOpen"}'
attempt "rename:.git" mv .git moved-git
attempt "remove:.vscode" rm -rf .vscode
attempt "link-into:.git" ln -sfn /tmp .git
