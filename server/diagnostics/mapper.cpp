#include "server/diagnostics/mapper.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string_view>

#include "server/diagnostics/output_text.h"
#include "server/diagnostics/text_columns.h"
#include "server/uri.h"

namespace airlock::server::diagnostics {
namespace {

namespace fs = std::filesystem;

// Bounds on what a run's output, which the sandboxed program controls, can make the editor show.
constexpr std::size_t kMaxDiagnosticsPerDocument = 200;
constexpr std::size_t kMaxRelatedPerDiagnostic = 32;
constexpr std::size_t kMaxMessageBytes = 4096;
constexpr std::string_view kDiagnosticSource = "airlock";

// A document diagnostics can be shown on, with its text split into lines.
class Document {
 public:
  Document(std::string uri, std::int64_t first_line, std::string text)
      : uri_(std::move(uri)), first_line_(first_line), text_(std::move(text)), lines_(split_lines(text_)) {}
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  const std::string& uri() const { return uri_; }
  // The editor's 0-based line for the tool's 1-based `line`.
  std::int64_t editor_line(std::int64_t line) const { return first_line_ + line - 1; }
  std::string_view line_text(std::int64_t line) const {
    return line >= 1 && static_cast<std::size_t>(line) <= lines_.size() ? lines_[line - 1] : std::string_view();
  }

 private:
  std::string uri_;
  std::int64_t first_line_;
  std::string text_;
  std::vector<std::string_view> lines_;  // views into text_, which never moves
};

protocol::Range range_on_line(std::string_view text, const std::optional<ColumnSpan>& columns) {
  std::size_t start;
  std::size_t end;
  if (!columns) {
    start = first_non_blank(text);
    end = text.find_last_not_of(" \t\f\v");
    end = end == std::string_view::npos ? start : end + 1;
  } else {
    start = byte_offset_of_column(text, columns->first, columns->unit, columns->origin);
    end = columns->last ? end_of_character(text, byte_offset_of_column(text, *columns->last, columns->unit,
                                                                        columns->origin))
                        : end_of_token(text, start);
    end = std::max(start, end);
  }
  return protocol::Range{.start = {.character = utf16_offset(text, start)},
                         .end = {.character = utf16_offset(text, end)}};
}

class Mapper {
 public:
  explicit Mapper(const MappingContext& context)
      : context_(context),
        workspace_(fs::path(context.workspace_path).lexically_normal()),
        working_directory_(context.working_directory.empty() ? workspace_
                                                             : fs::path(context.working_directory).lexically_normal()),
        snippet_(context.snippet_path.empty() ? fs::path() : fs::path(context.snippet_path).lexically_normal()) {}

  std::optional<protocol::Location> map(const Frame& frame) {
    const Document* document = document_for(frame.path);
    if (!document || frame.line < 1) return std::nullopt;
    protocol::Range range = range_on_line(document->line_text(frame.line), frame.columns);
    range.start.line = range.end.line = document->editor_line(frame.line);
    return protocol::Location{.uri = document->uri(), .range = range};
  }

 private:
  const Document* document_for(const std::string& printed_path) {
    auto [entry, inserted] = documents_.try_emplace(printed_path);
    if (inserted) entry->second = open_document(printed_path);
    return entry->second.get();
  }

  std::unique_ptr<Document> open_document(const std::string& printed_path) const {
    if (printed_path.empty() || printed_path.find('\0') != std::string::npos) return nullptr;
    fs::path path(printed_path);
    if (path.is_relative()) path = working_directory_ / path;
    path = path.lexically_normal();

    if (!snippet_.empty() && path == snippet_) {
      if (!context_.source) return nullptr;
      return std::make_unique<Document>(context_.source->uri, context_.source->line, context_.snippet_text);
    }
    if (!workspace_.is_absolute() || !context_.read_workspace_file) return nullptr;
    const fs::path relative = path.lexically_relative(workspace_);
    if (relative.empty() || relative == "." || *relative.begin() == "..") return nullptr;
    auto text = context_.read_workspace_file(relative.generic_string());
    if (!text) return nullptr;
    return std::make_unique<Document>(workspace_file_uri(relative), 0, std::move(*text));
  }

  // The client's workspace URI plus the encoded relative path, so the URI matches the one the client knows.
  std::string workspace_file_uri(const fs::path& relative) const {
    std::string_view base = context_.workspace_uri;
    while (base.ends_with('/')) base.remove_suffix(1);
    constexpr std::string_view kScheme = "file://";
    // Encoded as a URI path, whatever the host's own paths look like.
    const std::string encoded = path_to_file_uri("/" + relative.generic_string(), PathStyle::posix);
    return std::string(base) + encoded.substr(kScheme.size());
  }

  const MappingContext& context_;
  const fs::path workspace_;
  const fs::path working_directory_;
  const fs::path snippet_;
  std::map<std::string, std::unique_ptr<Document>> documents_;  // by printed path; null: not mapped
};

int lsp_severity(Severity severity) {
  return severity == Severity::warning ? protocol::kSeverityWarning : protocol::kSeverityError;
}

std::optional<protocol::Diagnostic> to_diagnostic(const Finding& finding, Mapper& mapper, std::string& uri) {
  std::optional<protocol::Diagnostic> diagnostic;
  for (const Frame& frame : finding.frames) {
    auto location = mapper.map(frame);
    if (!location) continue;
    if (!diagnostic) {
      uri = location->uri;
      diagnostic = protocol::Diagnostic{.range = location->range,
                                        .severity = lsp_severity(finding.severity),
                                        .source = std::string(kDiagnosticSource),
                                        .message = to_valid_utf8(finding.message, kMaxMessageBytes)};
      if (finding.code) diagnostic->code = to_valid_utf8(*finding.code, kMaxMessageBytes);
      continue;
    }
    protocol::DiagnosticRelatedInformation related{
        .location = std::move(*location),
        .message = to_valid_utf8(frame.label.empty() ? finding.message : frame.label, kMaxMessageBytes)};
    auto& all_related = diagnostic->relatedInformation;
    if (all_related.size() < kMaxRelatedPerDiagnostic &&
        std::find(all_related.begin(), all_related.end(), related) == all_related.end())
      all_related.push_back(std::move(related));
  }
  return diagnostic;
}

}  // namespace

DiagnosticsByUri map_findings(const std::vector<Finding>& findings, const MappingContext& context) {
  Mapper mapper(context);
  DiagnosticsByUri by_uri;
  for (const Finding& finding : findings) {
    std::string uri;
    auto diagnostic = to_diagnostic(finding, mapper, uri);
    if (!diagnostic) continue;
    auto& diagnostics = by_uri[uri];
    // Compilers repeat a diagnostic for every candidate they try; the editor needs it once.
    if (diagnostics.size() < kMaxDiagnosticsPerDocument &&
        std::find(diagnostics.begin(), diagnostics.end(), *diagnostic) == diagnostics.end())
      diagnostics.push_back(std::move(*diagnostic));
  }
  return by_uri;
}

}  // namespace airlock::server::diagnostics
