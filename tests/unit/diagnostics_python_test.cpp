#include <doctest/doctest.h>

#include "diagnostics_fixtures/fixtures.h"
#include "server/diagnostics/python_parser.h"

using namespace airlock::server::diagnostics;
using airlock::test::describe_frames;
using airlock::test::read_fixture;

namespace {

void check_stack_frame_columns(const Finding& finding) {
  for (const Frame& frame : finding.frames) {
    if (!frame.columns) continue;
    CHECK(frame.columns->unit == ColumnUnit::code_points);
    CHECK(frame.columns->origin == ColumnOrigin::first_non_blank);
  }
}

}  // namespace

TEST_CASE("python: a traceback gives every frame, innermost first, with the carets' code point columns") {
  auto findings = python::parse(read_fixture("python_traceback.python.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].severity == Severity::error);
  CHECK(findings[0].message == "ZeroDivisionError: division by zero");
  CHECK(describe_frames(findings[0]) ==
        "/airlock/snippet.py:2:8-12 in ratio\n"
        "/airlock/snippet.py:8:27-61 in report\n"
        "/airlock/snippet.py:11:7-23 in <module>");
  check_stack_frame_columns(findings[0]);
}

// CPython 3.11 draws the caret of its parser's SyntaxErrors in UTF-8 bytes, of its tokenizer's in code points.
TEST_CASE("python: a SyntaxError's location comes first, its caret in bytes or code points of the unindented line") {
  struct Case {
    const char* fixture;
    const char* message;
    const char* frames;
    ColumnUnit unit;
  };
  for (const Case& expected : {
           Case{"python_syntax_error.python.stderr", "SyntaxError: invalid syntax", "/airlock/snippet.py:3:35-35",
                ColumnUnit::utf8_bytes},
           Case{"python_tokenizer_error.python.stderr",
                "SyntaxError: closing parenthesis ']' does not match opening parenthesis '('",
                "/airlock/snippet.py:3:30-30", ColumnUnit::code_points},
       }) {
    CAPTURE(expected.fixture);
    auto findings = python::parse(read_fixture(expected.fixture));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].message == expected.message);
    CHECK(describe_frames(findings[0]) == expected.frames);
    CHECK(findings[0].frames[0].columns->unit == expected.unit);
    CHECK(findings[0].frames[0].columns->origin == ColumnOrigin::first_non_blank);
  }
}

TEST_CASE("python: an IndentationError") {
  auto findings = python::parse(read_fixture("python_indentation_error.python.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "IndentationError: expected an indented block after 'for' statement on line 2");
  CHECK(describe_frames(findings[0]) == "/airlock/snippet.py:3:1-1");
}

TEST_CASE("python: of chained exceptions only the one finally raised is reported") {
  auto findings = python::parse(read_fixture("python_chained.python.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "KeyError: 'fallback'");
  CHECK(describe_frames(findings[0]) ==
        "/airlock/snippet.py:15:8-21 in settings\n"
        "/airlock/snippet.py:18 in <module>");
}

TEST_CASE("python: frames in the workspace and in the standard library are all kept for the mapper to choose") {
  auto findings = python::parse(read_fixture("python_workspace.python.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)");
  CHECK(describe_frames(findings[0]) ==
        "/usr/lib/python3.11/json/decoder.py:355 in raw_decode\n"
        "/usr/lib/python3.11/json/decoder.py:337:12-49 in decode\n"
        "/usr/lib/python3.11/json/__init__.py:346:8-33 in loads\n"
        "/home/user/project/src/数据.py:5:8-23 in parse_settings\n"
        "/airlock/snippet.py:6:7-39 in <module>");
}

TEST_CASE("python: a SyntaxError in an imported workspace module, below the importing frame") {
  auto findings = python::parse(read_fixture("python_workspace_syntax.python.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "SyntaxError: invalid syntax");
  CHECK(describe_frames(findings[0]) ==
        "/home/user/project/src/broken.py:2:16-16\n"
        "/airlock/snippet.py:4 in <module>");
}

TEST_CASE("python: a deep recursion keeps the printed frames and skips the repetition summary") {
  auto findings = python::parse(read_fixture("python_deep_recursion.python.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "RuntimeError: reached the bottom");
  CHECK(describe_frames(findings[0]) ==
        "/airlock/snippet.py:3 in countdown\n"
        "/airlock/snippet.py:4:8-23 in countdown\n"
        "/airlock/snippet.py:4:8-23 in countdown\n"
        "/airlock/snippet.py:4:8-23 in countdown\n"
        "/airlock/snippet.py:7 in <module>");
}

TEST_CASE("python: an exception group gives its own finding and one per exception in it") {
  auto findings = python::parse(read_fixture("python_exception_group.python.stderr"));
  REQUIRE(findings.size() == 3);
  CHECK(findings[0].message == "ExceptionGroup: two failures (2 sub-exceptions)");
  CHECK(describe_frames(findings[0]) ==
        "/airlock/snippet.py:12 in gather\n"
        "/airlock/snippet.py:15 in <module>");
  CHECK(findings[1].message == "ZeroDivisionError: division by zero");
  CHECK(describe_frames(findings[1]) ==
        "/airlock/snippet.py:2:8-12 in inner\n"
        "/airlock/snippet.py:9 in gather");
  CHECK(findings[2].message == "TypeError: unsupported operand type(s) for /: 'int' and 'str'");
  CHECK(describe_frames(findings[2]) == describe_frames(findings[1]));
  for (const auto& finding : findings) check_stack_frame_columns(finding);
}

TEST_CASE("python: a program's own table lines are not taken for an exception group's margin") {
  auto findings = python::parse("| name | value |\n+------+-------+\n| File | 2     |\n");
  CHECK(findings.empty());
}

TEST_CASE("python: a warning is a finding of warning severity") {
  auto findings = python::parse(read_fixture("python_warning.python.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].severity == Severity::warning);
  CHECK(findings[0].message == "UserWarning: old_api() is deprecated; use new_api()");
  CHECK(describe_frames(findings[0]) == "/airlock/snippet.py:8");
}

TEST_CASE("python: tracebacks amid program output, and text that only looks like one") {
  const std::string traceback = read_fixture("python_traceback.python.stderr");
  auto findings = python::parse("starting\nTraceback (most recent call last):\nnot a frame\n" + traceback +
                                "after: the program printed this\n" + traceback);
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].message == "ZeroDivisionError: division by zero");
  CHECK(findings[1].frames.size() == 3);

  CHECK(python::parse("Traceback (most recent call last):\n").empty());
  CHECK(python::parse("Traceback (most recent call last):\n  File \"/a.py\", line 3, in f\n").empty());
  CHECK(python::parse("  File \"/a.py\", line x, in f\nValueError: no line number\n").empty());
  CHECK(python::parse("/a.py:3: not a Warning: text\n").empty());
}
