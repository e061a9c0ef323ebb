#include "server/diagnostics/shell_parser.h"

#include <optional>

#include "server/diagnostics/output_text.h"

namespace airlock::server::diagnostics::shell {
namespace {

constexpr std::string_view kSyntaxErrorNearToken = "syntax error near unexpected token";

struct ErrorLine {
  std::string path;
  std::int64_t line = 1;
  std::string_view message;
};

// bash `file: line N: msg` and `file: -c: line N: msg`, dash `file: N: msg`; the path ends at the first ": "
// that such a tail follows.
std::optional<ErrorLine> parse_line(std::string_view text) {
  for (std::size_t colon = text.find(": "); colon != std::string_view::npos; colon = text.find(": ", colon + 1)) {
    std::string_view rest = text.substr(colon + 2);
    take_prefix(rest, "-c: ");
    take_prefix(rest, "line ");
    auto number = take_number(rest);
    if (!number || !take_prefix(rest, ": ")) continue;
    if (colon == 0) return std::nullopt;
    return ErrorLine{.path = std::string(text.substr(0, colon)), .line = *number, .message = rest};
  }
  return std::nullopt;
}

bool echoes_syntax_error(const ErrorLine& error, const std::vector<Finding>& findings) {
  if (findings.empty() || !error.message.starts_with('`') || !error.message.ends_with('\'')) return false;
  const Finding& previous = findings.back();
  return previous.message.starts_with(kSyntaxErrorNearToken) && previous.frames.front().path == error.path &&
         previous.frames.front().line == error.line;
}

}  // namespace

std::vector<Finding> parse(std::string_view output) {
  std::vector<Finding> findings;
  for (std::string_view text : split_lines(output)) {
    auto error = parse_line(text);
    if (!error || echoes_syntax_error(*error, findings)) continue;
    Finding finding;
    if (take_prefix(error->message, "warning: ")) finding.severity = Severity::warning;
    finding.message = std::string(error->message);
    finding.frames.push_back(Frame{.path = std::move(error->path), .line = error->line});
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace airlock::server::diagnostics::shell
