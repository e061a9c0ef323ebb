#include <doctest/doctest.h>

#include <array>
#include <filesystem>
#include <random>

#include "diagnostics_fixtures/fixtures.h"
#include "protocol/messages.h"
#include "server/diagnostics/gcc_json_parser.h"
#include "server/diagnostics/gcc_text_parser.h"
#include "server/diagnostics/mapper.h"
#include "server/diagnostics/node_parser.h"
#include "server/diagnostics/parser.h"
#include "server/diagnostics/python_parser.h"
#include "server/diagnostics/shell_parser.h"
#include "server/diagnostics/text_columns.h"

// Every parser takes any bytes: random ones, and captured outputs cut or damaged at random places. The
// findings must stay well-formed and their mapped diagnostics serialisable. The seed is fixed so a failure
// reproduces; a libFuzzer target per parser can call the same parse functions.

using namespace airlock::server::diagnostics;

namespace {

struct NamedParser {
  std::string_view name;
  ParseFunction parse;
};

constexpr std::array kParsers{
    NamedParser{"python", python::parse},     NamedParser{"node", node::parse},
    NamedParser{"gcc_text", gcc_text::parse}, NamedParser{"gcc_json", gcc_json::parse},
    NamedParser{"shell", shell::parse},
};

// Pieces the parsers look for, so random input reaches deep into them rather than failing at the first byte.
constexpr std::array<std::string_view, 24> kPieces{
    "Traceback (most recent call last):\n", "  File \"/airlock/snippet.py\", line ", ", in f\n", "    ",
    "^^^~~~", "\n", ": ", ":", "line ", "-c: ", "    at f (", "file:///home/user/project/", ")\n",
    "/airlock/snippet.js:", " error: ", " note: ", " warning: ", "[{\"kind\": \"error\", \"locations\": [{\"caret\": ",
    "{\"file\": \"/airlock/snippet.c\", \"line\": ", "\"byte-column\": ", "}]}]", "999999999", "\xF0\x9F\x98\x80",
    "\xFF"};

std::string random_text(std::mt19937& random) {
  std::string text;
  const int parts = std::uniform_int_distribution<int>(0, 60)(random);
  for (int i = 0; i < parts; ++i) {
    if (random() % 3 == 0) {
      text.push_back(static_cast<char>(random() % 256));
    } else if (random() % 2 == 0) {
      text += std::to_string(random() % 50);
    } else {
      text += kPieces[random() % kPieces.size()];
    }
  }
  return text;
}

std::string damaged(std::string text, std::mt19937& random) {
  if (text.empty()) return text;
  switch (random() % 3) {
    case 0:
      text.resize(random() % text.size());
      break;
    case 1:
      text.erase(0, random() % text.size());
      break;
    default:
      for (int flips = 0; flips < 8; ++flips) text[random() % text.size()] = static_cast<char>(random() % 256);
  }
  return text;
}

std::vector<std::string> captured_outputs() {
  std::vector<std::string> outputs;
  for (const auto& entry : std::filesystem::directory_iterator(airlock::test::fixture_path("")))
    if (entry.path().extension() == ".stderr") outputs.push_back(airlock::test::read_fixture(entry.path().filename().string()));
  return outputs;
}

void check_well_formed(const std::vector<Finding>& findings, const MappingContext& context) {
  for (const Finding& finding : findings) {
    REQUIRE_FALSE(finding.frames.empty());
    for (const Frame& frame : finding.frames) {
      CHECK(frame.line >= 0);
      if (frame.columns && frame.columns->last) CHECK(*frame.columns->last >= 0);
    }
  }
  for (const auto& [uri, diagnostics] : map_findings(findings, context)) {
    for (const auto& diagnostic : diagnostics) {
      CHECK(diagnostic.range.start.line >= 0);
      CHECK(diagnostic.range.start.character <= diagnostic.range.end.character);
      CHECK((diagnostic.severity == 1 || diagnostic.severity == 2));
      CHECK(to_valid_utf8(diagnostic.message, diagnostic.message.size()) == diagnostic.message);
      CHECK_NOTHROW(airlock::protocol::json(diagnostic).dump());
    }
  }
}

}  // namespace

TEST_CASE("robustness: random bytes and damaged captures never crash a parser or the mapper") {
  std::mt19937 random(20240607);
  MappingContext context = airlock::test::snippet_context("python_traceback.py", "py");
  context.source = airlock::protocol::Source{.uri = "file:///home/user/project/notes.md", .line = 3};
  const std::vector<std::string> outputs = captured_outputs();
  REQUIRE(outputs.size() >= 30);

  for (const NamedParser& parser : kParsers) {
    CAPTURE(parser.name);
    for (int round = 0; round < 400; ++round) {
      const std::string text = random_text(random);
      CAPTURE(text);
      check_well_formed(parser.parse(text), context);
    }
    for (const std::string& output : outputs) {
      for (int round = 0; round < 20; ++round) {
        const std::string text = damaged(output, random);
        CAPTURE(text);
        check_well_formed(parser.parse(text), context);
      }
    }
  }
}

TEST_CASE("robustness: long lines, deep JSON and a huge stack stay linear and bounded") {
  const std::string long_line(1 << 20, ':');
  const std::string deep_json = std::string(100000, '[') + std::string(100000, ']');
  std::string huge_stack = "Error: deep\n";
  for (int i = 0; i < 20000; ++i) huge_stack += "    at f (/airlock/snippet.js:1:1)\n";
  for (const NamedParser& parser : kParsers) {
    CAPTURE(parser.name);
    CHECK_NOTHROW(parser.parse(long_line));
    CHECK_NOTHROW(parser.parse(deep_json));
    CHECK_NOTHROW(parser.parse(huge_stack));
  }
}
