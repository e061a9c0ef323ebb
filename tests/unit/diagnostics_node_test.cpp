#include <doctest/doctest.h>

#include "diagnostics_fixtures/fixtures.h"
#include "server/diagnostics/node_parser.h"

using namespace airlock::server::diagnostics;
using airlock::test::describe_frames;
using airlock::test::read_fixture;

namespace {

constexpr const char* kCommonJsLoaderFrames =
    "node:internal/modules/cjs/loader:1521:14 at Module._compile\n"
    "node:internal/modules/cjs/loader:1623:10 at Module._extensions..js\n"
    "node:internal/modules/cjs/loader:1266:32 at Module.load\n"
    "node:internal/modules/cjs/loader:1091:12 at Module._load\n"
    "node:internal/modules/run_main:164:12 at Function.executeUserEntryPoint [as runMain]\n"
    "node:internal/main/run_main_module:28:49 at <anonymous>";

}  // namespace

TEST_CASE("node: a thrown error's stack, innermost first, in UTF-16 columns; the header repeats the top frame") {
  auto findings = node::parse(read_fixture("node_throw.node.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].severity == Severity::error);
  CHECK(findings[0].message == "RangeError: division by zero");
  CHECK(describe_frames(findings[0]) == std::string("/airlock/snippet.js:2:22 at ratio\n"
                                                    "/airlock/snippet.js:6:43 at Object.<anonymous>\n") +
                                            kCommonJsLoaderFrames);
  for (const Frame& frame : findings[0].frames) {
    CHECK(frame.columns->unit == ColumnUnit::utf16_code_units);
    CHECK(frame.columns->origin == ColumnOrigin::line_start);
  }
}

TEST_CASE("node: a ReferenceError") {
  auto findings = node::parse(read_fixture("node_reference_error.node.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "ReferenceError: x is not defined");
  CHECK(describe_frames(findings[0]) == std::string("/airlock/snippet.js:3:23 at show\n"
                                                    "/airlock/snippet.js:5:1 at Object.<anonymous>\n") +
                                            kCommonJsLoaderFrames);
}

TEST_CASE("node: a CommonJS SyntaxError is located by the header and its caret") {
  auto findings = node::parse(read_fixture("node_syntax_error.node.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "SyntaxError: Unexpected token ';'");
  REQUIRE(findings[0].frames.size() == 8);
  CHECK(describe_frames(Finding{.frames = {findings[0].frames[0]}}) == "/airlock/snippet.js:1:32-32");
  CHECK(findings[0].frames[0].columns->unit == ColumnUnit::utf16_code_units);
  CHECK(findings[0].frames[1].path == "node:internal/modules/cjs/loader");
}

TEST_CASE("node: an ES module SyntaxError names its file by URL") {
  auto findings = node::parse(read_fixture("node_esm_syntax_error.node.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "SyntaxError: Unexpected token ';'");
  REQUIRE_FALSE(findings[0].frames.empty());
  CHECK(describe_frames(Finding{.frames = {findings[0].frames[0]}}) == "/home/user/project/src/bad.mjs:2:26-26");
}

TEST_CASE("node: ES module stack frames are file URLs, decoded to paths") {
  auto findings = node::parse(read_fixture("node_esm_workspace.node.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "TypeError: mean of an empty list (数据: 0)");
  CHECK(describe_frames(findings[0]) ==
        "/home/user/project/src/my lib/calc.mjs:3:11 at mean\n"
        "/home/user/project/src/main.mjs:5:15 at main");
}

TEST_CASE("node: an error thrown inside Node's own code keeps the internal frames for the mapper to drop") {
  auto findings = node::parse(read_fixture("node_internal_error.node.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "Error: ENOENT: no such file or directory, open '/nonexistent/settings.json'");
  REQUIRE(findings[0].frames.size() == 8);
  CHECK(describe_frames(Finding{.frames = {findings[0].frames[0], findings[0].frames[1]}}) ==
        "node:fs:448:20 at Object.readFileSync\n"
        "/airlock/snippet.js:2:21 at Object.<anonymous>");
}

TEST_CASE("node: a stack overflow shows the ten frames V8 keeps") {
  auto findings = node::parse(read_fixture("node_deep_recursion.node.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "RangeError: Maximum call stack size exceeded");
  REQUIRE(findings[0].frames.size() == 10);
  CHECK(describe_frames(Finding{.frames = {findings[0].frames[0], findings[0].frames[9]}}) ==
        "/airlock/snippet.js:2:3 at depth\n"
        "/airlock/snippet.js:2:10 at depth");
}

TEST_CASE("node: a thrown non-error has only the header") {
  auto findings = node::parse(read_fixture("node_throw_string.node.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "plain string");
  CHECK(describe_frames(findings[0]) == "/airlock/snippet.js:2:1-1");
}

TEST_CASE("node: an error logged without a header, and stack lines without a file position") {
  auto findings = node::parse(
      "Error: logged by console.error\n"
      "    at load (/airlock/snippet.js:4:9)\n"
      "    at async Promise.all (index 0)\n"
      "    at JSON.parse (<anonymous>)\n"
      "    at file:///airlock/snippet.mjs:9:1\n"
      "done\n");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "Error: logged by console.error");
  CHECK(describe_frames(findings[0]) ==
        "/airlock/snippet.js:4:9 at load\n"
        "/airlock/snippet.mjs:9:1 at <anonymous>");

  CHECK(node::parse("/airlock/snippet.js:2\nsource\nno caret here\n").empty());
  CHECK(node::parse("    at ratio (/airlock/snippet.js:2:22)\n").empty());
}
