#include "server/diagnostics/gcc_json_parser.h"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "server/diagnostics/compiler_code.h"
#include "server/diagnostics/output_text.h"

namespace airlock::server::diagnostics::gcc_json {
namespace {

using nlohmann::json;

// Bounds what an untrusted number in the JSON may be: anything beyond a real file's size is not a position.
constexpr std::int64_t kMaxPosition = 999'999'999;
// gcc nests an error inside another's children one level deep; a deeper nesting is not gcc's and is cut off
// before it can exhaust the stack.
constexpr int kMaxNesting = 8;

std::optional<std::int64_t> position_field(const json& point, const char* name) {
  auto it = point.find(name);
  if (it == point.end() || !it->is_number_integer()) return std::nullopt;
  std::int64_t value = it->get<std::int64_t>();
  if (value < 0 || value > kMaxPosition) return std::nullopt;
  return value;
}

std::string string_field(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The first location's caret (and its start and finish, when they are on the same line) as a frame.
std::optional<Frame> primary_location(const json& diagnostic, std::int64_t column_origin) {
  auto locations = diagnostic.find("locations");
  if (locations == diagnostic.end() || !locations->is_array() || locations->empty()) return std::nullopt;
  const json& location = locations->front();
  auto caret = location.find("caret");
  if (!location.is_object() || caret == location.end() || !caret->is_object()) return std::nullopt;
  std::string file = string_field(*caret, "file");
  auto line = position_field(*caret, "line");
  if (file.empty() || !line || *line == 0) return std::nullopt;
  Frame frame{.path = std::move(file), .line = *line};

  auto column_on_line = [&](const char* point_name) -> std::optional<std::int64_t> {
    auto point = location.find(point_name);
    if (point == location.end() || !point->is_object() || position_field(*point, "line") != line) return std::nullopt;
    auto column = position_field(*point, "byte-column");
    if (!column || *column < column_origin) return std::nullopt;
    return *column - column_origin + 1;
  };
  if (auto caret_column = column_on_line("caret")) {
    auto start = column_on_line("start");
    auto finish = column_on_line("finish");
    // gcc marks start..finish; with a start but no finish the marked range ends at the caret.
    if (!finish && start) finish = caret_column;
    ColumnSpan columns{.first = std::min(start.value_or(*caret_column), *caret_column), .unit = ColumnUnit::utf8_bytes};
    if (finish && *finish >= columns.first) columns.last = finish;
    frame.columns = columns;
  }
  return frame;
}

void read_diagnostic(const json& diagnostic, std::int64_t column_origin, int nesting, std::vector<Finding>& findings) {
  if (!diagnostic.is_object() || nesting > kMaxNesting) return;
  const std::string kind = string_field(diagnostic, "kind");
  if (kind == "note") return;
  if (auto origin = position_field(diagnostic, "column-origin")) column_origin = *origin;
  auto location = primary_location(diagnostic, column_origin);
  if (!location) return;

  Finding finding{.severity = kind == "warning" ? Severity::warning : Severity::error,
                  .message = string_field(diagnostic, "message")};
  finding.code = string_field(diagnostic, "option");
  if (finding.code->empty()) finding.code = take_option_suffix(finding.message);
  finding.frames.push_back(std::move(*location));

  std::vector<const json*> nested;
  if (auto children = diagnostic.find("children"); children != diagnostic.end() && children->is_array()) {
    for (const json& child : *children) {
      if (!child.is_object()) continue;
      if (string_field(child, "kind") != "note") {
        nested.push_back(&child);
        continue;
      }
      if (auto note = primary_location(child, column_origin)) {
        note->label = std::string(trim(string_field(child, "message")));
        finding.frames.push_back(std::move(*note));
      }
    }
  }
  findings.push_back(std::move(finding));
  for (const json* child : nested) read_diagnostic(*child, column_origin, nesting + 1, findings);
}

}  // namespace

std::vector<Finding> parse(std::string_view output) {
  std::vector<Finding> findings;
  for (std::string_view line : split_lines(output)) {
    line = trim(line);
    if (!line.starts_with('[')) continue;
    const json diagnostics = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
    if (!diagnostics.is_array()) continue;
    for (const json& diagnostic : diagnostics) read_diagnostic(diagnostic, 1, 0, findings);
  }
  return findings;
}

}  // namespace airlock::server::diagnostics::gcc_json
