#include <doctest/doctest.h>

#include "diagnostics_fixtures/fixtures.h"
#include "server/diagnostics/gcc_json_parser.h"
#include "server/diagnostics/gcc_text_parser.h"

using namespace airlock::server::diagnostics;
using airlock::test::describe_frames;
using airlock::test::read_fixture;

TEST_CASE("gcc text: errors, warnings with their option, notes attached, display columns") {
  auto findings = gcc_text::parse(read_fixture("c_program.gcc.stderr"));
  REQUIRE(findings.size() == 5);

  CHECK(findings[0].severity == Severity::error);
  CHECK(findings[0].message == "‘valu’ undeclared (first use in this function); did you mean ‘value’?");
  CHECK_FALSE(findings[0].code);
  CHECK(describe_frames(findings[0]) ==
        "/home/user/project/include/util.h:4:26\n"
        "/airlock/snippet.c:2 included here\n"
        "/home/user/project/include/util.h:4:26 each undeclared identifier is reported only once for each "
        "function it appears in");

  CHECK(findings[1].severity == Severity::warning);
  CHECK(findings[1].message == "passing argument 1 of ‘twice’ makes integer from pointer without a cast");
  CHECK(findings[1].code == "-Wint-conversion");
  CHECK(describe_frames(findings[1]) ==
        "/airlock/snippet.c:7:58\n"
        "/airlock/snippet.c:4:22 expected ‘int’ but argument is of type ‘const char *’");
  CHECK(findings[1].frames[0].columns->unit == ColumnUnit::display_columns);

  CHECK(findings[2].message == "expected ‘;’ before ‘}’ token");
  CHECK(describe_frames(findings[2]) == "/airlock/snippet.c:9:11");
  CHECK(findings[3].message == "unused variable ‘unused’");
  CHECK(findings[3].code == "-Wunused-variable");
  CHECK(describe_frames(findings[3]) == "/airlock/snippet.c:7:43");
  CHECK(findings[4].message == "control reaches end of non-void function");
  // gcc printed the include chain only before the first diagnostic in util.h.
  CHECK(describe_frames(findings[4]) == "/home/user/project/include/util.h:5:1\n/airlock/snippet.c:2 included here");
}

TEST_CASE("gcc text: a fatal error") {
  auto findings = gcc_text::parse(read_fixture("c_missing_header.gcc.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].severity == Severity::error);
  CHECK(findings[0].message == "missing.h: No such file or directory");
  CHECK(describe_frames(findings[0]) == "/airlock/snippet.c:1:10");
}

TEST_CASE("g++ text: template context lines explain the error that follows them") {
  auto findings = gcc_text::parse(read_fixture("cpp_template.g++.stderr"));
  REQUIRE(findings.size() == 4);
  CHECK(findings[0].message == "no matching function for call to ‘push_back(const char [5])’");
  REQUIRE(findings[0].frames.size() == 3);
  CHECK(findings[0].frames[1].path == "/usr/include/c++/12/bits/stl_vector.h");
  CHECK(findings[0].frames[2].label == "conversion of argument 1 would be ill-formed:");
  CHECK(findings[1].message == "invalid conversion from ‘const char*’ to ‘std::vector<int>::value_type’ {aka ‘int’}");
  CHECK(findings[1].code == "-fpermissive");
  CHECK(findings[3].message ==
        "no match for ‘operator*’ (operand types are ‘std::__cxx11::basic_string<char>’ and ‘int’)");
  CHECK(describe_frames(findings[3]) ==
        "/airlock/snippet.cpp:5:25\n"
        "/airlock/snippet.cpp:9:23 required from here");
}

TEST_CASE("clang text: recognised by its summary line, columns in bytes") {
  auto findings = gcc_text::parse(read_fixture("c_program.clang.stderr"));
  REQUIRE(findings.size() == 3);
  CHECK(findings[0].message == "use of undeclared identifier 'valu'; did you mean 'value'?");
  CHECK(describe_frames(findings[0]) ==
        "/home/user/project/include/util.h:4:26\n"
        "/airlock/snippet.c:2 included here\n"
        "/home/user/project/include/util.h:3:29 'value' declared here");
  CHECK(findings[1].message ==
        "incompatible pointer to integer conversion passing 'const char *' to parameter of type 'int'");
  CHECK(findings[1].code == "-Wint-conversion");
  CHECK(describe_frames(findings[1]) ==
        "/airlock/snippet.c:7:55\n"
        "/airlock/snippet.c:4:22 passing argument to parameter 'x' here");
  CHECK(findings[1].frames[0].columns->unit == ColumnUnit::utf8_bytes);
  CHECK(findings[2].message == "expected ';' after return statement");
}

TEST_CASE("gcc text: an error in a system header leads back to the include in the program, innermost first") {
  auto findings = gcc_text::parse(
      "In file included from /usr/include/c++/12/vector:64,\n"
      "                 from /airlock/snippet.cpp:2:\n"
      "/usr/include/c++/12/bits/stl_vector.h:1276:7: error: something went wrong\n"
      "In file included from /airlock/snippet.cpp:3:12:\n"
      "/home/user/project/include/util.h:4:26: warning: another\n");
  REQUIRE(findings.size() == 2);
  CHECK(describe_frames(findings[0]) ==
        "/usr/include/c++/12/bits/stl_vector.h:1276:7\n"
        "/usr/include/c++/12/vector:64 included here\n"
        "/airlock/snippet.cpp:2 included here");
  CHECK(describe_frames(findings[1]) == "/home/user/project/include/util.h:4:26\n/airlock/snippet.cpp:3 included here");
}

TEST_CASE("gcc text: lines that are not diagnostics") {
  CHECK(gcc_text::parse("/airlock/snippet.c: In function ‘main’:\n"
                        "In file included from /airlock/snippet.c:2:\n"
                        "    9 |   return 0\n"
                        "      |           ^\n"
                        "compilation terminated.\n"
                        ":1:2: error: no path\n"
                        "/airlock/snippet.c:1:2: note: a note before any error\n"
                        "/airlock/snippet.c:x: error: no line\n")
            .empty());
  auto findings = gcc_text::parse("/tmp/a b.c:12: error: a message without a column [-Werror=format]\n");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == "-Werror=format");
  CHECK(findings[0].message == "a message without a column");
  CHECK(describe_frames(findings[0]) == "/tmp/a b.c:12");
}

TEST_CASE("gcc JSON: the same diagnostics, byte columns with their start and finish, option as code") {
  auto findings = gcc_json::parse(read_fixture("c_program.gcc-json.stderr"));
  REQUIRE(findings.size() == 5);
  CHECK(findings[0].message == "'valu' undeclared (first use in this function); did you mean 'value'?");
  CHECK(describe_frames(findings[0]) ==
        "/home/user/project/include/util.h:4:26-29\n"
        "/home/user/project/include/util.h:4:26-29 each undeclared identifier is reported only once for each "
        "function it appears in");
  CHECK(findings[1].severity == Severity::warning);
  CHECK(findings[1].code == "-Wint-conversion");
  CHECK(describe_frames(findings[1]) ==
        "/airlock/snippet.c:7:55-59\n"
        "/airlock/snippet.c:4:18-22 expected 'int' but argument is of type 'const char *'");
  CHECK(findings[1].frames[0].columns->unit == ColumnUnit::utf8_bytes);
  CHECK(findings[2].message == "expected ';' before '}' token");
  CHECK(findings[2].severity == Severity::error);
  CHECK_FALSE(findings[2].code);
  CHECK(describe_frames(findings[2]) == "/airlock/snippet.c:9:11");
  CHECK(findings[3].code == "-Wunused-variable");
  CHECK(findings[4].code == "-Wreturn-type");
}

TEST_CASE("gcc JSON: a fatal error is an error; the text gcc prints after the array is skipped") {
  auto findings = gcc_json::parse(read_fixture("c_missing_header.gcc-json.stderr"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].severity == Severity::error);
  CHECK(findings[0].message == "missing.h: No such file or directory");
  CHECK(describe_frames(findings[0]) == "/airlock/snippet.c:1:10-20");
}

TEST_CASE("g++ JSON: notes become related frames, errors nested among the children findings of their own") {
  auto findings = gcc_json::parse(read_fixture("cpp_template.g++-json.stderr"));
  REQUIRE(findings.size() == 4);
  CHECK(findings[0].message == "no matching function for call to 'push_back(const char [5])'");
  REQUIRE(findings[0].frames.size() == 5);
  CHECK(describe_frames(Finding{.frames = {findings[0].frames[0]}}) == "/airlock/snippet.cpp:11:3-26");
  CHECK(findings[1].message == "invalid conversion from 'const char*' to 'std::vector<int>::value_type' {aka 'int'}");
  CHECK(findings[1].code == "-fpermissive");
  CHECK(describe_frames(findings[1]) == "/airlock/snippet.cpp:11:20-25");
  CHECK(findings[3].message == "no match for 'operator*' (operand types are 'std::__cxx11::basic_string<char>' and 'int')");
  CHECK(describe_frames(findings[3]) == "/airlock/snippet.cpp:5:23-27");
}

TEST_CASE("gcc JSON: program output, malformed arrays and hostile values") {
  CHECK(gcc_json::parse("[1, 2, 3]\n[not json\n{\"kind\": \"error\"}\n[{\"kind\": \"error\"}]\n").empty());
  CHECK(gcc_json::parse(R"([{"kind": "error", "message": "m", "locations": [{"caret": {"file": "/a.c", "line": -3}}]}])")
            .empty());
  auto findings = gcc_json::parse(
      R"([{"kind": "warning", "message": "m", "column-origin": 0, "locations": [{"caret": )"
      R"({"file": "/a.c", "line": 2, "byte-column": 4}, "finish": {"file": "/a.c", "line": 3, "byte-column": 9}}]}])");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].severity == Severity::warning);
  CHECK(describe_frames(findings[0]) == "/a.c:2:5");
}
