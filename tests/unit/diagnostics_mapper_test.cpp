#include <doctest/doctest.h>

#include "diagnostics_fixtures/fixtures.h"
#include "server/diagnostics/gcc_json_parser.h"
#include "server/diagnostics/gcc_text_parser.h"
#include "server/diagnostics/mapper.h"
#include "server/diagnostics/node_parser.h"
#include "server/diagnostics/python_parser.h"
#include "server/diagnostics/shell_parser.h"

using namespace airlock::server::diagnostics;
using airlock::protocol::Diagnostic;
using airlock::protocol::DiagnosticRelatedInformation;
using airlock::protocol::Location;
using airlock::protocol::Range;
using airlock::protocol::Source;
using airlock::test::read_fixture;
using airlock::test::snippet_context;
using airlock::test::workspace_context;

namespace {

constexpr const char* kNotesUri = "file:///home/user/project/notes.md";

Range range(std::int64_t line, std::int64_t start, std::int64_t end) {
  return Range{.start = {.line = line, .character = start}, .end = {.line = line, .character = end}};
}

MappingContext with_source(MappingContext context, std::int64_t line) {
  context.source = Source{.uri = kNotesUri, .line = line};
  return context;
}

// The only diagnostic of the only document.
const Diagnostic& only_diagnostic(const DiagnosticsByUri& by_uri, const std::string& uri) {
  REQUIRE(by_uri.size() == 1);
  REQUIRE(by_uri.begin()->first == uri);
  REQUIRE(by_uri.begin()->second.size() == 1);
  return by_uri.begin()->second.front();
}

Finding finding_at(std::string path, std::int64_t line) {
  return Finding{.message = "boom", .frames = {Frame{.path = std::move(path), .line = line}}};
}

}  // namespace

TEST_CASE("mapper: snippet line k becomes source.line + k - 1; other frames become related information") {
  auto by_uri = map_findings(python::parse(read_fixture("python_traceback.python.stderr")),
                             with_source(snippet_context("python_traceback.py", "py"), 10));
  const Diagnostic& diagnostic = only_diagnostic(by_uri, kNotesUri);
  CHECK(diagnostic.range == range(11, 11, 16));
  CHECK(diagnostic.severity == 1);
  CHECK(diagnostic.source == "airlock");
  CHECK(diagnostic.message == "ZeroDivisionError: division by zero");
  CHECK_FALSE(diagnostic.code);
  CHECK(diagnostic.relatedInformation ==
        std::vector<DiagnosticRelatedInformation>{
            {.location = {.uri = kNotesUri, .range = range(17, 30, 65)}, .message = "in report"},
            {.location = {.uri = kNotesUri, .range = range(20, 6, 23)}, .message = "in <module>"}});
}

TEST_CASE("mapper: without a source, snippet findings have nowhere to go") {
  CHECK(map_findings(python::parse(read_fixture("python_traceback.python.stderr")),
                     snippet_context("python_traceback.py", "py"))
            .empty());
  CHECK(map_findings(node::parse(read_fixture("node_throw.node.stderr")), snippet_context("node_throw.js", "js"))
            .empty());
}

TEST_CASE("mapper: byte and code point columns after emoji and CJK become UTF-16 offsets") {
  auto python_syntax = map_findings(python::parse(read_fixture("python_syntax_error.python.stderr")),
                                    with_source(snippet_context("python_syntax_error.py", "py"), 0));
  CHECK(only_diagnostic(python_syntax, kNotesUri).range == range(2, 36, 37));
  auto python_tokenizer = map_findings(python::parse(read_fixture("python_tokenizer_error.python.stderr")),
                                       with_source(snippet_context("python_tokenizer_error.py", "py"), 0));
  CHECK(only_diagnostic(python_tokenizer, kNotesUri).range == range(2, 38, 39));

  auto node_syntax = map_findings(node::parse(read_fixture("node_syntax_error.node.stderr")),
                                  with_source(snippet_context("node_syntax_error.js", "js"), 5));
  const Diagnostic& diagnostic = only_diagnostic(node_syntax, kNotesUri);
  CHECK(diagnostic.range == range(5, 31, 32));
  CHECK(diagnostic.relatedInformation.empty());  // Node's own loader frames are not documents
}

TEST_CASE("mapper: the innermost frame in a known file is primary; standard library frames are dropped") {
  const std::string workspace_module_uri = "file:///home/user/project/src/%E6%95%B0%E6%8D%AE.py";
  auto findings = python::parse(read_fixture("python_workspace.python.stderr"));

  auto with_snippet = map_findings(findings, with_source(snippet_context("python_workspace.py", "py"), 40));
  const Diagnostic& diagnostic = only_diagnostic(with_snippet, workspace_module_uri);
  CHECK(diagnostic.range == range(4, 11, 27));
  CHECK(diagnostic.message == "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)");
  CHECK(diagnostic.relatedInformation ==
        std::vector<DiagnosticRelatedInformation>{
            {.location = {.uri = kNotesUri, .range = range(45, 6, 39)}, .message = "in <module>"}});

  auto without_source = map_findings(findings, snippet_context("python_workspace.py", "py"));
  CHECK(only_diagnostic(without_source, workspace_module_uri).relatedInformation.empty());
}

TEST_CASE("mapper: a SyntaxError in an imported workspace module") {
  auto by_uri = map_findings(python::parse(read_fixture("python_workspace_syntax.python.stderr")),
                             with_source(snippet_context("python_workspace_syntax.py", "py"), 0));
  const Diagnostic& diagnostic = only_diagnostic(by_uri, "file:///home/user/project/src/broken.py");
  CHECK(diagnostic.range == range(1, 19, 20));
  REQUIRE(diagnostic.relatedInformation.size() == 1);
  CHECK(diagnostic.relatedInformation[0].location == Location{.uri = kNotesUri, .range = range(3, 0, 13)});
}

TEST_CASE("mapper: node frames of a file run, percent-encoded workspace URIs") {
  auto by_uri = map_findings(node::parse(read_fixture("node_esm_workspace.node.stderr")), workspace_context());
  const Diagnostic& diagnostic = only_diagnostic(by_uri, "file:///home/user/project/src/my%20lib/calc.mjs");
  CHECK(diagnostic.range == range(2, 10, 13));
  CHECK(diagnostic.message == "TypeError: mean of an empty list (数据: 0)");
  CHECK(diagnostic.relatedInformation ==
        std::vector<DiagnosticRelatedInformation>{
            {.location = {.uri = "file:///home/user/project/src/main.mjs", .range = range(4, 14, 18)},
             .message = "at main"}});

  auto thrown = map_findings(node::parse(read_fixture("node_throw.node.stderr")),
                             with_source(snippet_context("node_throw.js", "js"), 0));
  const Diagnostic& thrown_diagnostic = only_diagnostic(thrown, kNotesUri);
  CHECK(thrown_diagnostic.range == range(1, 21, 24));
  REQUIRE(thrown_diagnostic.relatedInformation.size() == 1);
  CHECK(thrown_diagnostic.relatedInformation[0].location.range == range(5, 42, 47));

  auto internal = map_findings(node::parse(read_fixture("node_internal_error.node.stderr")),
                               with_source(snippet_context("node_internal_error.js", "js"), 0));
  CHECK(only_diagnostic(internal, kNotesUri).range == range(1, 20, 32));
}

TEST_CASE("mapper: gcc text (display columns), gcc JSON (bytes) and clang (bytes) land on the same ranges") {
  const MappingContext context = with_source(snippet_context("c_program.c", "c"), 100);
  const std::string header_uri = "file:///home/user/project/include/util.h";
  for (const auto& test_case : {
           std::pair{"gcc", gcc_text::parse(read_fixture("c_program.gcc.stderr"))},
           std::pair{"gcc-json", gcc_json::parse(read_fixture("c_program.gcc-json.stderr"))},
           std::pair{"clang", gcc_text::parse(read_fixture("c_program.clang.stderr"))},
       }) {
    const auto& [name, findings] = test_case;
    CAPTURE(test_case.first);
    auto by_uri = map_findings(findings, context);
    REQUIRE(by_uri.count(kNotesUri) == 1);
    REQUIRE(by_uri.count(header_uri) == 1);
    const auto& in_snippet = by_uri[kNotesUri];
    auto conversion = std::find_if(in_snippet.begin(), in_snippet.end(),
                                   [](const Diagnostic& d) { return d.code == "-Wint-conversion"; });
    REQUIRE(conversion != in_snippet.end());
    CHECK(conversion->severity == 2);
    CHECK(conversion->range == range(106, 48, 53));
    REQUIRE(conversion->relatedInformation.size() == 1);
    CHECK(conversion->relatedInformation[0].location.range.start.line == 103);
    CHECK(by_uri[header_uri].front().range == range(3, 25, 29));
    CHECK(by_uri[header_uri].front().severity == 1);
  }
}

TEST_CASE("mapper: repeated compiler diagnostics are published once") {
  auto by_uri = map_findings(gcc_text::parse(read_fixture("cpp_template.g++.stderr")),
                             with_source(snippet_context("cpp_template.cpp", "cpp"), 0));
  REQUIRE(by_uri.size() == 1);
  const auto& diagnostics = by_uri[kNotesUri];
  REQUIRE(diagnostics.size() == 3);
  CHECK(diagnostics[2].range == range(4, 24, 25));
  REQUIRE(diagnostics[2].relatedInformation.size() == 1);
  CHECK(diagnostics[2].relatedInformation[0].message == "required from here");
  CHECK(diagnostics[2].relatedInformation[0].location.range.start.line == 8);
}

TEST_CASE("mapper: shell errors cover their line; a line past the snippet's end still maps") {
  auto by_uri = map_findings(shell::parse(read_fixture("shell_runtime.bash.stderr")),
                             with_source(snippet_context("shell_runtime.sh", "sh"), 0));
  REQUIRE(by_uri[kNotesUri].size() == 3);
  CHECK(by_uri[kNotesUri][0].range == range(1, 0, 15));
  CHECK(by_uri[kNotesUri][1].range == range(2, 0, 27));
  CHECK(by_uri[kNotesUri][2].range == range(4, 0, 15));

  auto sourced = map_findings(shell::parse(read_fixture("bash_workspace_source.bash.stderr")),
                              snippet_context("bash_workspace_source.sh", "sh"));
  CHECK(only_diagnostic(sourced, "file:///home/user/project/lib/helpers.sh").range == range(2, 2, 19));

  auto past_end = map_findings(shell::parse(read_fixture("shell_eof.bash.stderr")),
                               with_source(snippet_context("shell_eof.sh", "sh"), 0));
  CHECK(only_diagnostic(past_end, kNotesUri).range == range(3, 0, 0));
}

TEST_CASE("mapper: only the snippet and readable workspace files map, whatever the path says") {
  MappingContext context = workspace_context();
  const std::string broken_uri = "file:///home/user/project/src/broken.py";
  for (const char* path : {"/home/user/project/../../../etc/passwd", "/home/user/project2/src/broken.py",
                           "/home/user/project", "/home/user/project/src/missing.py", "/airlock/snippet.py",
                           "/usr/lib/python3.11/json/decoder.py", "<string>", "", "../project/../../etc/passwd"}) {
    CAPTURE(path);
    CHECK(map_findings({finding_at(path, 1)}, context).empty());
  }
  CHECK(map_findings({finding_at("/home/user/project/src/broken.py", 0)}, context).empty());
  CHECK(map_findings({finding_at("/home/user/project/src/./../src/broken.py", 1)}, context).count(broken_uri) == 1);
  CHECK(map_findings({finding_at("src/broken.py", 1)}, context).count(broken_uri) == 1);
  context.working_directory = "/home/user/project/src";
  CHECK(map_findings({finding_at("broken.py", 1)}, context).count(broken_uri) == 1);
  context.workspace_uri = "file:///home/user/project/";
  CHECK(map_findings({finding_at("broken.py", 1)}, context).count(broken_uri) == 1);
}

TEST_CASE("mapper: messages are made valid UTF-8 and bounded; a flood of findings is capped per document") {
  MappingContext context = workspace_context();
  Finding hostile = finding_at("src/broken.py", 1);
  hostile.message = "bad \xFF\xFE byte " + std::string(10000, 'x');
  auto by_uri = map_findings({hostile}, context);
  const std::string& message = by_uri.begin()->second.front().message;
  CHECK(message.starts_with("bad \xEF\xBF\xBD\xEF\xBF\xBD byte"));
  CHECK(message.size() <= 4096);

  std::vector<Finding> flood;
  for (int i = 0; i < 1000; ++i) {
    flood.push_back(finding_at("src/broken.py", 1 + i % 2));
    flood.back().message = "error " + std::to_string(i);
  }
  auto capped = map_findings(flood, context);
  CHECK(capped.begin()->second.size() == 200);
}
