echo "😀 start"
cd /nonexistent
undefined_command_数据 --flag
set -u
echo "$not_set"
