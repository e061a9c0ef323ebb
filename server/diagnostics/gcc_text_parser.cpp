#include "server/diagnostics/gcc_text_parser.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <utility>
#include <optional>

#include "server/diagnostics/compiler_code.h"
#include "server/diagnostics/output_text.h"

namespace airlock::server::diagnostics::gcc_text {
namespace {

enum class Kind { error, warning, note, context };

struct Line {
  Frame location;
  Kind kind = Kind::error;
  std::string message;
};

std::optional<Kind> take_kind(std::string_view& rest) {
  if (take_prefix(rest, " error: ") || take_prefix(rest, " fatal error: ")) return Kind::error;
  if (take_prefix(rest, " warning: ")) return Kind::warning;
  if (take_prefix(rest, " note: ")) return Kind::note;
  if (rest.starts_with("   required from") || rest.starts_with("   in ")) {
    rest = trim(rest);
    return Kind::context;
  }
  return std::nullopt;
}

// `path:line:col: kind: message` or `path:line: kind: message`; the path is whatever precedes the first
// `:line:` that such a tail follows.
std::optional<Line> parse_line(std::string_view line, ColumnUnit unit) {
  for (std::size_t colon = line.find(':'); colon != std::string_view::npos; colon = line.find(':', colon + 1)) {
    std::string_view rest = line.substr(colon + 1);
    auto number = take_number(rest);
    if (!number || !take_prefix(rest, ":")) continue;
    std::optional<ColumnSpan> columns;
    if (auto column = take_number(rest)) {
      if (!take_prefix(rest, ":")) continue;
      columns = ColumnSpan{.first = *column, .unit = unit};
    }
    auto kind = take_kind(rest);
    if (!kind) continue;
    if (colon == 0) return std::nullopt;
    return Line{.location = Frame{.path = std::string(line.substr(0, colon)), .line = *number, .columns = columns},
                .kind = *kind,
                .message = std::string(rest)};
  }
  return std::nullopt;
}

// A number made of the digits after the last ':' of `text`, which loses them and the ':'.
std::optional<std::int64_t> take_last_number(std::string_view& text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view digits = text.substr(colon + 1);
  auto number = take_number(digits);
  if (!number || !digits.empty()) return std::nullopt;
  text = text.substr(0, colon);
  return number;
}

// One place of the include chain gcc and clang print before a diagnostic in an included file, innermost first:
// `In file included from /usr/include/c++/12/vector:64,` then `                 from /airlock/snippet.cpp:2:`.
std::optional<Frame> parse_include_line(std::string_view line, bool& starts_chain) {
  starts_chain = take_prefix(line, "In file included from ");
  if (!starts_chain && !(line.starts_with(' ') && take_prefix(line = trim(line), "from "))) return std::nullopt;
  if (!line.ends_with(',') && !line.ends_with(':')) return std::nullopt;
  line.remove_suffix(1);
  auto number = take_last_number(line);
  if (!number) return std::nullopt;
  Frame site{.path = {}, .line = *number, .columns = std::nullopt, .label = "included here"};
  // clang may add the column: path:line:column.
  std::string_view path = line;
  if (auto line_number = take_last_number(path)) {
    site.line = *line_number;
    line = path;
  }
  if (line.empty()) return std::nullopt;
  site.path = std::string(line);
  return site;
}

// Clang ends its report with "1 error generated." or "1 warning and 2 errors generated.".
bool is_clang_output(const std::vector<std::string_view>& lines) {
  return std::any_of(lines.begin(), lines.end(), [](std::string_view line) {
    return !line.empty() && line.front() >= '1' && line.front() <= '9' && line.ends_with(" generated.");
  });
}

}  // namespace

std::vector<Finding> parse(std::string_view output) {
  const std::vector<std::string_view> lines = split_lines(output);
  const ColumnUnit unit = is_clang_output(lines) ? ColumnUnit::utf8_bytes : ColumnUnit::display_columns;
  std::vector<Finding> findings;
  std::vector<Frame> context;  // "required from here" lines, printed before the error they explain
  // The include chain is printed once, before the first diagnostic in an included file: later diagnostics in that
  // file get the chain remembered for it.
  std::vector<Frame> include_chain;
  std::map<std::string, std::vector<Frame>> chain_of_file;
  bool last_can_take_notes = false;
  for (std::string_view text : lines) {
    bool starts_chain = false;
    if (auto site = parse_include_line(text, starts_chain)) {
      if (starts_chain) include_chain.clear();
      include_chain.push_back(std::move(*site));
      continue;
    }
    auto line = parse_line(text, unit);
    if (!line) continue;
    if (!include_chain.empty()) chain_of_file[line->location.path] = std::exchange(include_chain, {});
    switch (line->kind) {
      case Kind::error:
      case Kind::warning: {
        Finding finding{.severity = line->kind == Kind::warning ? Severity::warning : Severity::error,
                        .message = std::move(line->message)};
        finding.code = take_option_suffix(finding.message);
        finding.frames.push_back(std::move(line->location));
        std::move(context.begin(), context.end(), std::back_inserter(finding.frames));
        if (auto chain = chain_of_file.find(finding.frames.front().path); chain != chain_of_file.end())
          finding.frames.insert(finding.frames.end(), chain->second.begin(), chain->second.end());
        context.clear();
        findings.push_back(std::move(finding));
        last_can_take_notes = true;
        break;
      }
      case Kind::note:
        if (last_can_take_notes) {
          line->location.label = std::string(trim(line->message));
          findings.back().frames.push_back(std::move(line->location));
        }
        break;
      case Kind::context:
        line->location.label = std::move(line->message);
        context.push_back(std::move(line->location));
        last_can_take_notes = false;
        break;
    }
  }
  return findings;
}

}  // namespace airlock::server::diagnostics::gcc_text
