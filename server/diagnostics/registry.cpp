#include "server/diagnostics/registry.h"

#include <algorithm>
#include <array>

#include "server/diagnostics/gcc_json_parser.h"
#include "server/diagnostics/gcc_text_parser.h"
#include "server/diagnostics/node_parser.h"
#include "server/diagnostics/python_parser.h"
#include "server/diagnostics/shell_parser.h"

namespace airlock::server::diagnostics {
namespace {

struct LanguageParsers {
  std::string_view language;
  std::span<const ParseFunction> parsers;
};

// C and C++ output may come from a compiler in either form (JSON when Airlock asks for it), then the program.
constexpr std::array<ParseFunction, 1> kPython{python::parse};
constexpr std::array<ParseFunction, 1> kNode{node::parse};
constexpr std::array<ParseFunction, 1> kShell{shell::parse};
constexpr std::array<ParseFunction, 2> kCompiler{gcc_json::parse, gcc_text::parse};

constexpr std::array kLanguages{
    LanguageParsers{"python", kPython},
    LanguageParsers{"javascript", kNode},
    LanguageParsers{"bash", kShell},
    LanguageParsers{"sh", kShell},
    LanguageParsers{"c", kCompiler},
    LanguageParsers{"cpp", kCompiler},
};

}  // namespace

std::span<const ParseFunction> parsers_for(std::string_view language) {
  auto entry = std::find_if(kLanguages.begin(), kLanguages.end(),
                            [&](const LanguageParsers& candidate) { return candidate.language == language; });
  return entry == kLanguages.end() ? std::span<const ParseFunction>() : entry->parsers;
}

std::vector<Finding> parse_output(std::string_view language, std::string_view output) {
  std::vector<Finding> findings;
  for (ParseFunction parse : parsers_for(language)) {
    std::vector<Finding> found = parse(output);
    findings.insert(findings.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return findings;
}

}  // namespace airlock::server::diagnostics
