#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "diagnostics_fixtures/fixtures.h"
#include "server/compiler_json_rendering.h"
#include "server/diagnostics/gcc_json_parser.h"

using airlock::server::CompilerJsonRendering;
using airlock::test::read_fixture;

namespace {

// gcc quotes with ‘’ in a UTF-8 locale and with '' in the C locale; the fixtures were captured under both.
std::string with_ascii_quotes(std::string line) {
  for (std::string_view quote : {"\u2018", "\u2019"})
    for (std::size_t at = line.find(quote); at != std::string::npos; at = line.find(quote, at + 1))
      line.replace(at, quote.size(), "'");
  return line;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(with_ascii_quotes(line));
  return lines;
}

bool contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

struct Filtered {
  std::string shown;
  std::string parsed;
};

Filtered filter_in_pieces(const std::string& text, std::size_t piece) {
  CompilerJsonRendering rendering;
  Filtered out;
  for (std::size_t at = 0; at < text.size(); at += piece)
    rendering.push(std::string_view(text).substr(at, piece), out.shown, out.parsed);
  rendering.finish(out.shown, out.parsed);
  return out;
}

}  // namespace

TEST_CASE("gcc's JSON diagnostics are rendered as the location lines of gcc's own text form of the same compile") {
  // Both fixtures are captured from gcc 12 compiling the same program (capture.sh).
  for (const auto& test_case : {std::pair{"c_program.gcc-json.stderr", "c_program.gcc.stderr"},
                                                   std::pair{"c_missing_header.gcc-json.stderr", "c_missing_header.gcc.stderr"}}) {
    const auto& [json_fixture, text_fixture] = test_case;
    CAPTURE(test_case.first);
    const std::string json = read_fixture(json_fixture);
    const auto text_lines = lines_of(read_fixture(text_fixture));
    const auto rendered = CompilerJsonRendering::render(json.substr(0, json.find('\n') + 1));
    REQUIRE(rendered);
    const auto rendered_lines = lines_of(*rendered);
    REQUIRE_FALSE(rendered_lines.empty());
    for (const auto& line : rendered_lines) CHECK_MESSAGE(contains(text_lines, line), line);
    for (const auto& line : text_lines)
      if (line.find(": error: ") != std::string::npos || line.find(": warning: ") != std::string::npos ||
          line.find(": fatal error: ") != std::string::npos)
        CHECK_MESSAGE(contains(rendered_lines, line), line);
  }
}

TEST_CASE("the reader sees gcc's text, the diagnostics parser the JSON, in whatever pieces stderr arrives") {
  const std::string json = read_fixture("c_program.gcc-json.stderr");
  const std::string stderr_text = "before\n" + json + "[1, 2]\n[not json\nafter";
  const auto expected_findings = airlock::server::diagnostics::gcc_json::parse(json);
  REQUIRE_FALSE(expected_findings.empty());
  for (std::size_t piece : {1u, 7u, 4096u}) {
    CAPTURE(piece);
    const Filtered out = filter_in_pieces(stderr_text, piece);
    CHECK(out.parsed == stderr_text);
    CHECK(out.shown.find("\"kind\"") == std::string::npos);
    CHECK(out.shown.starts_with("before\n/home/user/project/include/util.h:4:26: error: "));
    CHECK(out.shown.ends_with("\n[1, 2]\n[not json\nafter"));
    CHECK(airlock::server::diagnostics::gcc_json::parse(out.parsed).size() == expected_findings.size());
  }
}

TEST_CASE("a clean compile's empty array is not shown") {
  const Filtered out = filter_in_pieces("[]\nprogram output\n", 2);
  CHECK(out.shown == "program output\n");
  CHECK(out.parsed == "[]\nprogram output\n");
}

TEST_CASE("a line that never ends is shown once it is too long to be gcc's, without holding the rest back") {
  CompilerJsonRendering rendering;
  std::string shown;
  std::string parsed;
  const std::string chunk(1 << 20, 'x');
  rendering.push("[", shown, parsed);
  for (std::size_t sent = 0; sent <= CompilerJsonRendering::kMaxLineBytes; sent += chunk.size())
    rendering.push(chunk, shown, parsed);
  CHECK(shown.size() > CompilerJsonRendering::kMaxLineBytes);
  rendering.push("yz", shown, parsed);
  CHECK(shown.ends_with("xyz"));
}

TEST_CASE("only steps that ask gcc for JSON get the rendering") {
  CHECK(CompilerJsonRendering::wanted_by({{"cc", "-fdiagnostics-format=json", "x.c"}, {"/tmp/out"}}));
  CHECK_FALSE(CompilerJsonRendering::wanted_by({{"cc", "-fdiagnostics-format=text", "x.c"}, {"/tmp/out"}}));
  CHECK_FALSE(CompilerJsonRendering::wanted_by({{"python3", "x.py"}}));
}
