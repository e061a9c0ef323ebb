#include <doctest/doctest.h>

#include "diagnostics_fixtures/fixtures.h"
#include "server/diagnostics/shell_parser.h"

using namespace airlock::server::diagnostics;
using airlock::test::describe_frames;
using airlock::test::read_fixture;

namespace {

std::string describe_all(const std::vector<Finding>& findings) {
  std::string text;
  for (const Finding& finding : findings)
    text += describe_frames(finding) + (finding.severity == Severity::warning ? " warning: " : " error: ") +
            finding.message + "\n";
  return text;
}

}  // namespace

TEST_CASE("bash: runtime errors, one per line, no columns") {
  CHECK(describe_all(shell::parse(read_fixture("shell_runtime.bash.stderr"))) ==
        "/airlock/snippet.sh:2 error: cd: /nonexistent: No such file or directory\n"
        "/airlock/snippet.sh:3 error: undefined_command_数据: command not found\n"
        "/airlock/snippet.sh:5 error: not_set: unbound variable\n");
}

TEST_CASE("dash: `file: N: message`") {
  CHECK(describe_all(shell::parse(read_fixture("shell_runtime.dash.stderr"))) ==
        "/airlock/snippet.sh:2 error: cd: can't cd to /nonexistent\n"
        "/airlock/snippet.sh:3 error: undefined_command_数据: not found\n"
        "/airlock/snippet.sh:5 error: not_set: parameter not set\n");
  CHECK(describe_all(shell::parse(read_fixture("shell_syntax.dash.stderr"))) ==
        "/airlock/snippet.sh:3 error: Syntax error: \"fi\" unexpected\n");
  CHECK(describe_all(shell::parse(read_fixture("shell_syntax.dash-c.stderr"))) ==
        "/airlock/snippet.sh:3 error: Syntax error: \"fi\" unexpected\n");
  CHECK(describe_all(shell::parse(read_fixture("shell_eof.dash.stderr"))) ==
        "/airlock/snippet.sh:4 error: Syntax error: end of file unexpected (expecting \"fi\")\n");
}

TEST_CASE("bash: a syntax error once, without the line that echoes the text, also in the -c form") {
  const std::string expected = "/airlock/snippet.sh:3 error: syntax error near unexpected token `fi'\n";
  CHECK(describe_all(shell::parse(read_fixture("shell_syntax.bash.stderr"))) == expected);
  CHECK(describe_all(shell::parse(read_fixture("shell_syntax.bash-c.stderr"))) == expected);
  CHECK(describe_all(shell::parse(read_fixture("shell_eof.bash.stderr"))) ==
        "/airlock/snippet.sh:4 error: syntax error: unexpected end of file\n");
}

TEST_CASE("bash: warnings, arithmetic errors and errors in sourced workspace files") {
  CHECK(describe_all(shell::parse(read_fixture("bash_heredoc_warning.bash.stderr"))) ==
        "/airlock/snippet.sh:3 warning: here-document at line 2 delimited by end-of-file (wanted `END')\n");
  CHECK(describe_all(shell::parse(read_fixture("bash_arithmetic.bash.stderr"))) ==
        "/airlock/snippet.sh:2 error: 10 / count : division by 0 (error token is \"count \")\n");
  CHECK(describe_all(shell::parse(read_fixture("bash_workspace_source.bash.stderr"))) ==
        "/home/user/project/lib/helpers.sh:3 error: no_such_tool: command not found\n");
}

TEST_CASE("shell: paths with ': ' in them and lines that are not errors") {
  CHECK(describe_all(shell::parse("/tmp/a: b.sh: line 4: oops\n")) == "/tmp/a: b.sh:4 error: oops\n");
  CHECK(shell::parse("hello world\n: 3: no path\nfile: line x: no number\nfile: 12 no colon\n").empty());
}
