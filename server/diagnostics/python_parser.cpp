#include "server/diagnostics/python_parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "server/diagnostics/output_text.h"

namespace airlock::server::diagnostics::python {
namespace {

constexpr std::string_view kTracebackHeader = "Traceback (most recent call last):";
constexpr std::string_view kChainedByHandling = "During handling of the above exception, another exception occurred:";
constexpr std::string_view kChainedByCause = "The above exception was the direct cause of the following exception:";
// Python indents a frame's source and caret lines by four spaces.
constexpr std::string_view kSourceIndent = "    ";
constexpr std::string_view kGroupHeader = "+ Exception Group Traceback (most recent call last):";

// Python 3.11+ draws the tracebacks of an exception group, and of each exception in it, inside a margin:
//   `  + Exception Group Traceback (most recent call last):` opens it, `  | <line>` carries a line,
//   `  +-+---------------- 1 ----------------` and `    +------------------------------------` separate.
// Gives the lines as they would read without the margin: the header as a plain traceback header, separators as
// blank lines. Only lines after a group header lose a margin, so a program's own `| table |` output stays as is.
std::vector<std::string_view> without_group_margins(std::vector<std::string_view> lines) {
  bool in_group = false;
  for (auto& line : lines) {
    const std::size_t margin = line.find_first_not_of(' ');
    const std::string_view drawn = margin == std::string_view::npos ? std::string_view() : line.substr(margin);
    if (drawn == kGroupHeader) {
      in_group = true;
      line = kTracebackHeader;
    } else if (in_group && drawn.starts_with("|")) {
      line = drawn.substr(drawn.starts_with("| ") ? 2 : 1);
    } else if (in_group && drawn.starts_with("+") && drawn.find_first_not_of("+- 0123456789") == std::string_view::npos) {
      line = {};
    } else {
      in_group = false;
    }
  }
  return lines;
}

struct FileLine {
  Frame frame;
  bool is_stack_frame = false;  // `File "x", line N, in f`; without ", in" it locates a SyntaxError
};

// `  File "/airlock/snippet.py", line 2, in ratio` or `  File "/airlock/snippet.py", line 3`.
std::optional<FileLine> parse_file_line(std::string_view line) {
  if (!take_prefix(line, "  File \"")) return std::nullopt;
  constexpr std::string_view kLineMarker = "\", line ";
  std::size_t marker = line.rfind(kLineMarker);
  if (marker == std::string_view::npos || marker == 0) return std::nullopt;
  FileLine result;
  result.frame.path = std::string(line.substr(0, marker));
  line.remove_prefix(marker + kLineMarker.size());
  auto number = take_number(line);
  if (!number) return std::nullopt;
  result.frame.line = *number;
  if (take_prefix(line, ", in ")) {
    result.is_stack_frame = true;
    result.frame.label = "in " + std::string(line);
  } else if (!line.empty()) {
    return std::nullopt;
  }
  return result;
}

// `           ~~^~~` under a printed source line: the marked columns, counted from the printed line's start.
std::optional<ColumnSpan> parse_caret_line(std::string_view line, ColumnUnit unit) {
  if (!take_prefix(line, kSourceIndent)) return std::nullopt;
  std::size_t first = line.find_first_of("^~");
  if (first == std::string_view::npos || line.find_first_not_of(" ^~") != std::string_view::npos) return std::nullopt;
  std::size_t last = line.find_last_of("^~");
  return ColumnSpan{.first = static_cast<std::int64_t>(first) + 1,
                    .last = static_cast<std::int64_t>(last) + 1,
                    .unit = unit,
                    .origin = ColumnOrigin::first_non_blank};
}

// The exception line that ends a traceback: `KeyError: 'b'`, `json.decoder.JSONDecodeError: ...`, `StopIteration`.
bool is_exception_line(std::string_view line) {
  std::string_view name = line.substr(0, line.find(':'));
  return !name.empty() && std::isalpha(static_cast<unsigned char>(name.front())) &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
         });
}

// CPython 3.11 draws a SyntaxError's caret in UTF-8 bytes, except for the errors its tokenizer raises, whose caret
// counts code points (the tokenizer's error path converts the offset to characters, the parser's does not). Both
// measured with multi-byte text before the error; these are the tokenizer's messages.
constexpr std::array<std::string_view, 13> kTokenizerErrors{
    "SyntaxError: unterminated string literal",      "SyntaxError: unterminated triple-quoted string literal",
    "SyntaxError: unmatched '",                      "SyntaxError: closing parenthesis '",
    "SyntaxError: too many nested parentheses",      "SyntaxError: invalid decimal literal",
    "SyntaxError: invalid hexadecimal literal",      "SyntaxError: invalid octal literal",
    "SyntaxError: invalid binary literal",           "SyntaxError: invalid imaginary literal",
    "SyntaxError: invalid digit '",                  "SyntaxError: invalid character '",
    "SyntaxError: invalid non-printable character",
};

bool caret_counts_code_points(std::string_view exception_line) {
  return std::any_of(kTokenizerErrors.begin(), kTokenizerErrors.end(),
                     [&](std::string_view message) { return exception_line.starts_with(message); });
}

// `/airlock/snippet.py:8: UserWarning: message`, as warnings.formatwarning writes it.
std::optional<Finding> parse_warning_line(std::string_view line) {
  for (std::size_t colon = line.find(':'); colon != std::string_view::npos; colon = line.find(':', colon + 1)) {
    std::string_view rest = line.substr(colon + 1);
    auto number = take_number(rest);
    if (!number || !take_prefix(rest, ": ")) continue;
    std::size_t category_end = rest.find(": ");
    std::string_view category = rest.substr(0, category_end);
    if (category_end == std::string_view::npos || !category.ends_with("Warning") || !is_exception_line(category))
      continue;
    if (colon == 0) return std::nullopt;
    return Finding{.severity = Severity::warning,
                   .message = std::string(rest),
                   .frames = {Frame{.path = std::string(line.substr(0, colon)), .line = *number}}};
  }
  return std::nullopt;
}

class TracebackReader {
 public:
  explicit TracebackReader(std::string_view output) : lines_(without_group_margins(split_lines(output))) {}

  std::vector<Finding> read() {
    for (index_ = 0; index_ < lines_.size(); ++index_) read_line(lines_[index_]);
    return std::move(findings_);
  }

 private:
  void read_line(std::string_view line) {
    if (line == kTracebackHeader) {
      start_block();
      return;
    }
    if (line == kChainedByHandling || line == kChainedByCause) {
      // The exception just reported was replaced by the one that follows: only the last one was raised.
      if (last_exception_) findings_.erase(findings_.begin() + static_cast<std::ptrdiff_t>(*last_exception_));
      last_exception_.reset();
      return;
    }
    if (is_blank(line)) return;
    if (auto file_line = parse_file_line(line)) {
      if (!frames_) start_block();
      read_file_line(std::move(*file_line));
      return;
    }
    last_exception_.reset();
    if (frames_ && !line.starts_with(' ')) {
      if (is_exception_line(line)) finish_block(line);
      frames_.reset();
      return;
    }
    if (auto warning = parse_warning_line(line)) findings_.push_back(std::move(*warning));
  }

  void start_block() {
    frames_.emplace();
    syntax_error_location_.reset();
    last_exception_.reset();
  }

  void read_file_line(FileLine file_line) {
    const ColumnUnit unit = file_line.is_stack_frame ? ColumnUnit::code_points : ColumnUnit::utf8_bytes;
    if (index_ + 1 < lines_.size() && lines_[index_ + 1].starts_with(kSourceIndent)) {
      ++index_;  // the frame's source line
      if (index_ + 1 < lines_.size()) {
        if (auto columns = parse_caret_line(lines_[index_ + 1], unit)) {
          file_line.frame.columns = columns;
          ++index_;
        }
      }
    }
    if (file_line.is_stack_frame)
      frames_->push_back(std::move(file_line.frame));
    else
      syntax_error_location_ = std::move(file_line.frame);
  }

  void finish_block(std::string_view exception_line) {
    if (frames_->empty() && !syntax_error_location_) return;
    Finding finding{.message = std::string(exception_line)};
    if (syntax_error_location_) {
      if (syntax_error_location_->columns && caret_counts_code_points(exception_line))
        syntax_error_location_->columns->unit = ColumnUnit::code_points;
      finding.frames.push_back(std::move(*syntax_error_location_));
    }
    finding.frames.insert(finding.frames.end(), std::make_move_iterator(frames_->rbegin()),
                          std::make_move_iterator(frames_->rend()));
    last_exception_ = findings_.size();
    findings_.push_back(std::move(finding));
  }

  std::vector<std::string_view> lines_;
  std::size_t index_ = 0;
  std::vector<Finding> findings_;
  std::optional<std::vector<Frame>> frames_;     // set while inside a traceback, outermost frame first
  std::optional<Frame> syntax_error_location_;
  std::optional<std::size_t> last_exception_;    // the finding a chaining line would replace
};

}  // namespace

std::vector<Finding> parse(std::string_view output) { return TracebackReader(output).read(); }

}  // namespace airlock::server::diagnostics::python
