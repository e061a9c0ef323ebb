#pragma once

// textDocument/publishDiagnostics and its LSP types. Positions are 0-based; character counts UTF-16 code units.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/json.h"

namespace airlock::protocol {

struct Position {
  std::int64_t line = 0;
  std::int64_t character = 0;

  bool operator==(const Position&) const = default;
};
void from_json(const json& value, Position& position);
void to_json(json& value, const Position& position);

struct Range {
  Position start;
  Position end;

  bool operator==(const Range&) const = default;
};
void from_json(const json& value, Range& range);
void to_json(json& value, const Range& range);

struct Location {
  std::string uri;
  Range range;

  bool operator==(const Location&) const = default;
};
void from_json(const json& value, Location& location);
void to_json(json& value, const Location& location);

struct DiagnosticRelatedInformation {
  Location location;
  std::string message;

  bool operator==(const DiagnosticRelatedInformation&) const = default;
};
void from_json(const json& value, DiagnosticRelatedInformation& information);
void to_json(json& value, const DiagnosticRelatedInformation& information);

inline constexpr int kSeverityError = 1;
inline constexpr int kSeverityWarning = 2;
inline constexpr int kSeverityInformation = 3;
inline constexpr int kSeverityHint = 4;

struct Diagnostic {
  Range range;
  int severity = kSeverityError;  // 1..4
  std::optional<std::string> code;
  std::optional<std::string> source;
  std::string message;
  std::vector<DiagnosticRelatedInformation> relatedInformation;  // left out of the JSON when empty

  bool operator==(const Diagnostic&) const = default;
};
void from_json(const json& value, Diagnostic& diagnostic);
void to_json(json& value, const Diagnostic& diagnostic);

struct PublishDiagnosticsParams {
  std::string uri;
  std::optional<std::int64_t> version;
  std::vector<Diagnostic> diagnostics;  // empty: clear the document's diagnostics

  bool operator==(const PublishDiagnosticsParams&) const = default;
};
void from_json(const json& value, PublishDiagnosticsParams& params);
void to_json(json& value, const PublishDiagnosticsParams& params);

}  // namespace airlock::protocol
