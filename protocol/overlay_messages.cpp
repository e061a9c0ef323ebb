#include "protocol/overlay_messages.h"

#include "protocol/field_readers.h"

namespace airlock::protocol {
using namespace fields;

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
}

void to_json(json& value, const ApplyChangesResult& result) {
  value = {{"applied", result.applied}, {"conflicts", result.conflicts}};
}

void from_json(const json& value, DiscardChangesParams& params) {
  expect_object(value);
  params.runId = required(value, "runId", read_non_empty_string);
}

void to_json(json& value, const DiscardChangesParams& params) { value = {{"runId", params.runId}}; }

}  // namespace airlock::protocol
