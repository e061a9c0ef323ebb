#pragma once

// What a parser reads out of a tool's output, before anything is mapped to the editor's documents.
// Paths, lines and columns are the tool's own: mapping them is the mapper's job, because only it knows where
// the snippet came from and which files belong to the workspace.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace airlock::server::diagnostics {

enum class Severity { error, warning };

// What one column step counts; each parser documents which one its tool uses.
enum class ColumnUnit {
  utf8_bytes,
  code_points,
  utf16_code_units,
  display_columns,  // terminal cells: wide characters count two, a tab runs to the next multiple of 8
};

// Where column 1 is. Python prints a traceback's source line without its indentation and counts its
// carets from the first character it printed.
enum class ColumnOrigin { line_start, first_non_blank };

struct ColumnSpan {
  std::int64_t first = 1;              // 1-based
  std::optional<std::int64_t> last;    // 1-based, inclusive; unknown when the tool marks a single point
  ColumnUnit unit = ColumnUnit::utf8_bytes;
  ColumnOrigin origin = ColumnOrigin::line_start;
};

struct Frame {
  std::string path;                    // as printed; may be relative, a pseudo-path like <string>, or anywhere
  std::int64_t line = 1;               // 1-based
  std::optional<ColumnSpan> columns;
  std::string label;                   // shown for this frame in relatedInformation, e.g. "in ratio"
};

struct Finding {
  Severity severity = Severity::error;
  std::string message;                 // the tool's own text, e.g. "ZeroDivisionError: division by zero"
  std::optional<std::string> code;     // e.g. gcc's "-Wunused-variable"
  // Most precise first: the innermost stack frame or the compiler's location, then callers and notes.
  // The first frame that maps to a document becomes the diagnostic's range, the rest relatedInformation.
  std::vector<Frame> frames;
};

}  // namespace airlock::server::diagnostics
