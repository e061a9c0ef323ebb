#include "server/diagnostics/node_parser.h"

#include <optional>

#include "server/diagnostics/output_text.h"
#include "server/uri.h"

namespace airlock::server::diagnostics::node {
namespace {

// How far past the first line of an error's message its stack is looked for (messages may span lines).
constexpr std::size_t kMaxMessageLines = 20;

std::string path_of_location(std::string_view location) {
  if (location.starts_with("file://")) {
    if (auto path = file_uri_to_path(location)) return *path;
  }
  return std::string(location);
}

// `/airlock/snippet.js:2:22` or `file:///home/user/a%20b/x.mjs:3:11`.
std::optional<Frame> parse_location(std::string_view location) {
  std::size_t column_colon = location.rfind(':');
  if (column_colon == std::string_view::npos) return std::nullopt;
  std::string_view column_text = location.substr(column_colon + 1);
  auto column = take_number(column_text);
  location = location.substr(0, column_colon);
  std::size_t line_colon = location.rfind(':');
  if (!column || !column_text.empty() || line_colon == std::string_view::npos || line_colon == 0) return std::nullopt;
  std::string_view line_text = location.substr(line_colon + 1);
  auto line = take_number(line_text);
  if (!line || !line_text.empty()) return std::nullopt;
  return Frame{.path = path_of_location(location.substr(0, line_colon)),
               .line = *line,
               .columns = ColumnSpan{.first = *column, .unit = ColumnUnit::utf16_code_units}};
}

bool is_stack_line(std::string_view line) { return line.starts_with(' ') && trim(line).starts_with("at "); }

// `    at ratio (/airlock/snippet.js:2:22)`, `    at file:///x.mjs:1:7`, `    at async main (...)`.
// Frames without a file position (`at async Promise.all (index 0)`, `at JSON.parse (<anonymous>)`) give none.
std::optional<Frame> parse_stack_line(std::string_view line) {
  std::string_view text = trim(line);
  if (!is_stack_line(line) || !take_prefix(text, "at ")) return std::nullopt;
  // The last frame of an error with own properties opens their listing: `at f (x.js:1:2) {`.
  if (text.ends_with(" {")) text.remove_suffix(2);
  std::string function = "<anonymous>";
  if (text.ends_with(')')) {
    std::size_t open = text.rfind(" (");
    if (open == std::string_view::npos) return std::nullopt;
    function = std::string(text.substr(0, open));
    text = text.substr(open + 2, text.size() - open - 3);
  }
  auto frame = parse_location(text);
  if (frame) frame->label = "at " + function;
  return frame;
}

// The caret Node prints under the source line: one blank or tab per UTF-16 unit before the error, then ^.
std::optional<ColumnSpan> parse_caret_line(std::string_view line) {
  std::size_t first = line.find('^');
  if (first == std::string_view::npos || line.find_first_not_of(" \t^") != std::string_view::npos) return std::nullopt;
  return ColumnSpan{.first = static_cast<std::int64_t>(first) + 1,
                    .last = static_cast<std::int64_t>(line.find_last_of('^')) + 1,
                    .unit = ColumnUnit::utf16_code_units};
}

// `/airlock/snippet.js:2`, `file:///home/user/project/src/bad.mjs:2`, `node:fs:448`, then the source line
// and the caret.
std::optional<Frame> parse_header(const std::vector<std::string_view>& lines, std::size_t at) {
  if (at + 2 >= lines.size()) return std::nullopt;
  std::string_view header = lines[at];
  std::size_t colon = header.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || header.starts_with(' ')) return std::nullopt;
  std::string_view line_text = header.substr(colon + 1);
  auto line = take_number(line_text);
  if (!line || !line_text.empty()) return std::nullopt;
  auto columns = parse_caret_line(lines[at + 2]);
  if (!columns) return std::nullopt;
  return Frame{.path = path_of_location(header.substr(0, colon)), .line = *line, .columns = columns};
}

class ErrorReader {
 public:
  explicit ErrorReader(std::string_view output) : lines_(split_lines(output)) {}

  std::vector<Finding> read() {
    while (index_ < lines_.size()) {
      if (auto header = parse_header(lines_, index_)) {
        read_error_after_header(std::move(*header));
      } else if (index_ + 1 < lines_.size() && !is_blank(lines_[index_]) && !is_stack_line(lines_[index_]) &&
                 is_stack_line(lines_[index_ + 1])) {
        // An error printed without a header, e.g. by console.error(error).
        Finding finding{.message = std::string(trim(lines_[index_]))};
        ++index_;
        read_stack(finding);
        if (!finding.frames.empty()) findings_.push_back(std::move(finding));
      } else {
        ++index_;
      }
    }
    return std::move(findings_);
  }

 private:
  void read_error_after_header(Frame header) {
    index_ += 3;
    while (index_ < lines_.size() && is_blank(lines_[index_])) ++index_;
    if (index_ == lines_.size() || is_stack_line(lines_[index_])) return;
    Finding finding{.message = std::string(trim(lines_[index_]))};
    std::size_t message_end = index_ + 1;
    while (message_end < lines_.size() && message_end - index_ < kMaxMessageLines && !is_stack_line(lines_[message_end]))
      ++message_end;
    index_ = message_end < lines_.size() && is_stack_line(lines_[message_end]) ? message_end : index_ + 1;
    read_stack(finding);
    const bool header_repeats_top_frame = !finding.frames.empty() && finding.frames.front().path == header.path &&
                                          finding.frames.front().line == header.line;
    if (!header_repeats_top_frame) finding.frames.insert(finding.frames.begin(), std::move(header));
    findings_.push_back(std::move(finding));
  }

  void read_stack(Finding& finding) {
    for (; index_ < lines_.size() && is_stack_line(lines_[index_]); ++index_)
      if (auto frame = parse_stack_line(lines_[index_])) finding.frames.push_back(std::move(*frame));
  }

  std::vector<std::string_view> lines_;
  std::size_t index_ = 0;
  std::vector<Finding> findings_;
};

}  // namespace

std::vector<Finding> parse(std::string_view output) { return ErrorReader(output).read(); }

}  // namespace airlock::server::diagnostics::node
