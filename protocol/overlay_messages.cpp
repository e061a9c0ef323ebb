#include "protocol/overlay_messages.h"

#include <array>
#include <string_view>

#include "protocol/field_readers.h"
#include "protocol/wire_values.h"

namespace airlock::protocol {
using namespace fields;

namespace {

constexpr std::array<std::string_view, 3> kEntryTypes = {"file", "directory", "symlink"};
constexpr std::array<std::string_view, 2> kContentEncodings = {"utf-8", "base64"};

json or_null(const std::optional<std::string>& value) { return value ? json(*value) : json(nullptr); }

}  // namespace

void from_json(const json& value, ApplyFailure& failure) {
  expect_object(value);
  failure.path = required(value, "path", read_non_empty_string);
  failure.message = required(value, "message", read_string);
}

void to_json(json& value, const ApplyFailure& failure) {
  value = {{"path", failure.path}, {"message", failure.message}};
}

void from_json(const json& value, ApplyChangesParams& params) {
  expect_object(value);
  params.runId = required(value, "runId", read_non_empty_string);
  params.paths = optional(value, "paths", array_of(read_non_empty_os_string));
}

void to_json(json& value, const ApplyChangesParams& params) {
  value = {{"runId", params.runId}};
  put_optional(value, "paths", params.paths);
}

void from_json(const json& value, ApplyChangesResult& result) {
  expect_object(value);
  result.applied = required(value, "applied", array_of(read_string));
  result.conflicts = required(value, "conflicts", array_of(read_string));
  result.failed = optional(value, "failed", array_of(read_struct<ApplyFailure>)).value_or(std::vector<ApplyFailure>{});
}

void to_json(json& value, const ApplyChangesResult& result) {
  value = {{"applied", result.applied}, {"conflicts", result.conflicts}, {"failed", result.failed}};
}

void from_json(const json& value, DiscardChangesParams& params) {
  expect_object(value);
  params.runId = required(value, "runId", read_non_empty_string);
}

void to_json(json& value, const DiscardChangesParams& params) { value = {{"runId", params.runId}}; }

void from_json(const json& value, ReadChangedFileParams& params) {
  expect_object(value);
  params.runId = required(value, "runId", read_non_empty_string);
  params.path = required(value, "path", read_non_empty_os_string);
}

void to_json(json& value, const ReadChangedFileParams& params) {
  value = {{"runId", params.runId}, {"path", params.path}};
}

void from_json(const json& value, ReadChangedFileResult& result) {
  expect_object(value);
  result.path = required(value, "path", read_non_empty_string);
  result.kind = required(value, "kind", one_of(kChangeKinds));
  result.type = optional(value, "type", one_of(kEntryTypes));
  result.encoding = required(value, "encoding", one_of(kContentEncodings));
  result.content = optional(value, "content", read_string);
  result.mode = optional(value, "mode", integer_in_range(0, 07777));
  result.target = optional(value, "target", read_non_empty_string);
}

void to_json(json& value, const ReadChangedFileResult& result) {
  value = {{"path", result.path},
           {"kind", result.kind},
           {"type", or_null(result.type)},
           {"encoding", result.encoding},
           {"content", or_null(result.content)}};
  put_optional(value, "mode", result.mode);
  put_optional(value, "target", result.target);
}

}  // namespace airlock::protocol
