#!/usr/bin/env bash
# Regenerates the fixtures of the diagnostics parser tests: runs every program in this folder with the real
# interpreter or compiler and keeps what it wrote to stderr as <program>.<tool>.stderr, next to versions.txt.
#
# The programs run where Airlock puts them, so the paths in the output are the ones the server sees:
# a snippet at /airlock/snippet.<ext>, the workspace (./workspace) at /home/user/project, the current
# directory in the workspace, a minimal environment. Both folders are created for the capture and removed
# afterwards; the script stops if either already exists. It needs root (for /airlock) and the tools the
# tests were written against: python3 3.11 in /usr/bin, node 20, gcc/g++ 12, clang, bash, dash.
#
# Usage: capture.sh, then review `git diff`: the tests name lines, columns and messages of these outputs,
# so a new tool version may need the expectations in tests/unit/diagnostics_*_test.cpp updated with it.
set -euo pipefail

fixtures="$(cd "$(dirname "$0")" && pwd)"
snippet_dir=/airlock
workspace=/home/user/project

for dir in "$snippet_dir" "$workspace"; do
  if [ -e "$dir" ]; then
    echo "capture.sh: $dir already exists; move it away first, the capture needs it empty" >&2
    exit 1
  fi
done
if [ "$(id -u)" -ne 0 ]; then
  echo "capture.sh: run as root: the snippet folder $snippet_dir is created at the file system root" >&2
  exit 1
fi

created=()
build_dir="$(mktemp -d)"
cleanup() {
  rm -rf "$build_dir"
  for ((i = ${#created[@]} - 1; i >= 0; i--)); do rm -rf "${created[i]}"; done
}
trap cleanup EXIT

[ -d /home/user ] || created+=(/home/user)
created+=("$snippet_dir" "$workspace")
mkdir -p "$snippet_dir" "$workspace"
cp -R "$fixtures/workspace/." "$workspace/"

# capture OUTPUT PROGRAM COMMAND...: places PROGRAM (a file of this folder, or - for none) at
# /airlock/snippet.<its extension>, runs COMMAND in the workspace and keeps its stderr as OUTPUT.stderr.
# LC_ALL comes from $locale (default C.UTF-8).
capture() {
  local output="$1" program="$2"
  shift 2
  rm -f "$snippet_dir"/snippet.*
  if [ "$program" != - ]; then cp "$fixtures/$program" "$snippet_dir/snippet.${program##*.}"; fi
  (cd "$workspace" && env -i PATH=/usr/bin:/bin HOME=/nonexistent PYTHONDONTWRITEBYTECODE=1 \
    LC_ALL="${locale:-C.UTF-8}" "$@") >/dev/null 2>"$fixtures/$output.stderr" || true
}

python=/usr/bin/python3
for program in python_traceback python_syntax_error python_tokenizer_error python_indentation_error python_chained \
  python_workspace python_workspace_syntax python_deep_recursion python_warning python_exception_group; do
  capture "$program.python" "$program.py" "$python" "$snippet_dir/snippet.py"
done

for program in node_throw node_reference_error node_syntax_error node_internal_error node_deep_recursion \
  node_throw_string; do
  capture "$program.node" "$program.js" node "$snippet_dir/snippet.js"
done
capture node_esm_syntax_error.node node_esm_syntax_error.mjs node "$snippet_dir/snippet.mjs"
capture node_esm_workspace.node - node "$workspace/src/main.mjs"

# The flags the server compiles with; the JSON captures run in the C locale, which quotes with plain '.
c_flags=(-std=c17 -Wall -O1 -fdiagnostics-color=never -I"$workspace/include" -o "$build_dir/program")
cpp_flags=(-std=c++20 -Wall -O1 -fdiagnostics-color=never -o "$build_dir/program")
for program in c_program c_missing_header; do
  capture "$program.gcc" "$program.c" gcc "${c_flags[@]}" "$snippet_dir/snippet.c"
  locale=C capture "$program.gcc-json" "$program.c" gcc "${c_flags[@]}" -fdiagnostics-format=json \
    "$snippet_dir/snippet.c"
done
capture c_program.clang c_program.c clang -std=c17 -Wall -O1 -fno-color-diagnostics -I"$workspace/include" \
  -o "$build_dir/program" "$snippet_dir/snippet.c"
capture cpp_template.g++ cpp_template.cpp g++ "${cpp_flags[@]}" "$snippet_dir/snippet.cpp"
locale=C capture cpp_template.g++-json cpp_template.cpp g++ "${cpp_flags[@]}" -fdiagnostics-format=json \
  "$snippet_dir/snippet.cpp"

for program in shell_runtime shell_syntax shell_eof; do
  capture "$program.bash" "$program.sh" bash "$snippet_dir/snippet.sh"
  capture "$program.dash" "$program.sh" dash "$snippet_dir/snippet.sh"
done
# The -c forms: the script's text as the command string, its path as $0.
capture shell_syntax.bash-c shell_syntax.sh bash -c 'exec bash -c "$(cat "$0")" "$0"' "$snippet_dir/snippet.sh"
capture shell_syntax.dash-c shell_syntax.sh bash -c 'exec dash -c "$(cat "$0")" "$0"' "$snippet_dir/snippet.sh"
for program in bash_heredoc_warning bash_arithmetic bash_workspace_source; do
  capture "$program.bash" "$program.sh" bash "$snippet_dir/snippet.sh"
done

{
  echo "python3: $("$python" --version 2>&1)"
  echo "node: $(node --version)"
  echo "gcc: $(gcc --version | head -n 1)"
  echo "g++: $(g++ --version | head -n 1)"
  echo "clang: $(clang --version | head -n 1)"
  echo "bash: $(bash --version | head -n 1)"
  echo "dash: $(dpkg-query -W -f='${Version}' dash 2>/dev/null || echo unknown)"
} >"$fixtures/versions.txt"
