#include <doctest/doctest.h>

#include "diagnostics_fixtures/fixtures.h"
#include "server/diagnostics/diagnostics.h"
#include "server/diagnostics/registry.h"

using namespace airlock::server::diagnostics;
using airlock::test::read_fixture;
using airlock::test::snippet_context;

TEST_CASE("registry: each language's parsers read its output; other languages yield nothing") {
  CHECK(parsers_for("python").size() == 1);
  CHECK(parsers_for("c").size() == 2);
  CHECK(parsers_for("ruby").empty());
  CHECK(parse_output("ruby", read_fixture("python_traceback.python.stderr")).empty());
  CHECK(parse_output("javascript", read_fixture("python_traceback.python.stderr")).empty());

  struct Case {
    const char* language;
    const char* output;
    const char* program;
    const char* extension;
  };
  for (const Case& run : {Case{"python", "python_traceback.python.stderr", "python_traceback.py", "py"},
                          Case{"javascript", "node_throw.node.stderr", "node_throw.js", "js"},
                          Case{"bash", "shell_runtime.bash.stderr", "shell_runtime.sh", "sh"},
                          Case{"sh", "shell_runtime.dash.stderr", "shell_runtime.sh", "sh"},
                          Case{"c", "c_program.gcc-json.stderr", "c_program.c", "c"},
                          Case{"c", "c_program.gcc.stderr", "c_program.c", "c"},
                          Case{"cpp", "cpp_template.g++-json.stderr", "cpp_template.cpp", "cpp"}}) {
    CAPTURE(run.output);
    MappingContext context = snippet_context(run.program, run.extension);
    context.source = airlock::protocol::Source{.uri = "file:///home/user/project/README.md", .line = 7};
    auto by_uri = diagnostics_from_output(run.language, read_fixture(run.output), context);
    REQUIRE(by_uri.count("file:///home/user/project/README.md") == 1);
    for (const auto& diagnostic : by_uri["file:///home/user/project/README.md"]) {
      CHECK(diagnostic.source == "airlock");
      CHECK(diagnostic.range.start.line >= 7);
    }
  }
}
