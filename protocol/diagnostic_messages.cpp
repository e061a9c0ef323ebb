#include "protocol/diagnostic_messages.h"

#include "protocol/field_readers.h"

namespace airlock::protocol {
using namespace fields;

void from_json(const json& value, Position& position) {
  expect_object(value);
  position.line = required(value, "line", integer_at_least(0));
  position.character = required(value, "character", integer_at_least(0));
}

void to_json(json& value, const Position& position) {
  value = {{"line", position.line}, {"character", position.character}};
}

void from_json(const json& value, Range& range) {
  expect_object(value);
  range.start = required(value, "start", read_struct<Position>);
  range.end = required(value, "end", read_struct<Position>);
}

void to_json(json& value, const Range& range) { value = {{"start", range.start}, {"end", range.end}}; }

void from_json(const json& value, Location& location) {
  expect_object(value);
  location.uri = required(value, "uri", read_non_empty_string);
  location.range = required(value, "range", read_struct<Range>);
}

void to_json(json& value, const Location& location) { value = {{"uri", location.uri}, {"range", location.range}}; }

void from_json(const json& value, DiagnosticRelatedInformation& information) {
  expect_object(value);
  information.location = required(value, "location", read_struct<Location>);
  information.message = required(value, "message", read_string);
}

void to_json(json& value, const DiagnosticRelatedInformation& information) {
  value = {{"location", information.location}, {"message", information.message}};
}

void from_json(const json& value, Diagnostic& diagnostic) {
  expect_object(value);
  diagnostic.range = required(value, "range", read_struct<Range>);
  diagnostic.severity = static_cast<int>(required(value, "severity", integer_in_range(kSeverityError, kSeverityHint)));
  diagnostic.code = optional(value, "code", read_string);
  diagnostic.source = optional(value, "source", read_string);
  diagnostic.message = required(value, "message", read_string);
  diagnostic.relatedInformation = optional(value, "relatedInformation", array_of(read_struct<DiagnosticRelatedInformation>))
                                      .value_or(std::vector<DiagnosticRelatedInformation>{});
}

void to_json(json& value, const Diagnostic& diagnostic) {
  value = {{"range", diagnostic.range}, {"severity", diagnostic.severity}, {"message", diagnostic.message}};
  put_optional(value, "code", diagnostic.code);
  put_optional(value, "source", diagnostic.source);
  if (!diagnostic.relatedInformation.empty()) value["relatedInformation"] = diagnostic.relatedInformation;
}

void from_json(const json& value, PublishDiagnosticsParams& params) {
  expect_object(value);
  params.uri = required(value, "uri", read_non_empty_string);
  params.version = optional(value, "version", read_integer);
  params.diagnostics = required(value, "diagnostics", array_of(read_struct<Diagnostic>));
}

void to_json(json& value, const PublishDiagnosticsParams& params) {
  value = {{"uri", params.uri}, {"diagnostics", params.diagnostics}};
  put_optional(value, "version", params.version);
}

}  // namespace airlock::protocol
