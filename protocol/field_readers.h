#pragma once

// Building blocks for the typed messages' from_json: each reader turns one JSON value into a C++ value or throws
// ParamsError saying what was expected and what came; required() and optional() add the member's name to the path.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/json.h"
#include "protocol/params_error.h"

namespace airlock::protocol::fields {

// "a string", "null", "-3", ... for "expected X, got Y" messages.
std::string describe(const json& value);

const json& expect_object(const json& value);

std::string read_string(const json& value);
std::string read_non_empty_string(const json& value);
// A string handed to the operating system (argv, environment, paths): NUL would silently cut it short there.
std::string read_os_string(const json& value);
std::string read_non_empty_os_string(const json& value);
bool read_bool(const json& value);
double read_non_negative_number(const json& value);
// An integer or string request id, kept as JSON.
json read_request_id(const json& value);

std::int64_t read_integer_in_range(const json& value, std::int64_t min, std::int64_t max);

inline std::int64_t read_integer(const json& value) {
  return read_integer_in_range(value, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
}

inline auto integer_at_least(std::int64_t min) {
  return [min](const json& value) { return read_integer_in_range(value, min, std::numeric_limits<std::int64_t>::max()); };
}

inline auto integer_in_range(std::int64_t min, std::int64_t max) {
  return [min, max](const json& value) { return read_integer_in_range(value, min, max); };
}

std::string read_one_of(const json& value, std::span<const std::string_view> allowed);

// `allowed` must outlive the reader (the wire's sets are constants).
inline auto one_of(std::span<const std::string_view> allowed) {
  return [allowed](const json& value) { return read_one_of(value, allowed); };
}

template <class T>
T read_struct(const json& value) {
  T decoded;
  from_json(value, decoded);
  return decoded;
}

// Runs `read` on a value found under `step` of its parent, prefixing `step` to the path of any error.
template <class Reader>
auto read_within(std::string_view step, const json& value, Reader read) {
  try {
    return read(value);
  } catch (const ParamsError& error) {
    throw error.within(step);
  }
}

template <class Reader>
auto array_of(Reader read_element, bool allow_empty = true) {
  return [read_element, allow_empty](const json& value) {
    if (!value.is_array()) throw ParamsError("", "expected an array, got " + describe(value));
    if (!allow_empty && value.empty()) throw ParamsError("", "expected a non-empty array");
    std::vector<decltype(read_element(value))> elements;
    elements.reserve(value.size());
    for (std::size_t index = 0; index < value.size(); ++index)
      elements.push_back(read_within("[" + std::to_string(index) + "]", value[index], read_element));
    return elements;
  };
}

// A member that must be present; null counts as present (and fails any reader that does not accept null).
template <class Reader>
auto required(const json& object, std::string_view key, Reader read) {
  const auto member = object.find(key);
  if (member == object.end()) throw ParamsError(std::string(key), "is required");
  return read_within(key, *member, read);
}

// A member that may be absent; null means absent.
template <class Reader>
auto optional(const json& object, std::string_view key, Reader read) -> std::optional<decltype(read(object))> {
  const auto member = object.find(key);
  if (member == object.end() || member->is_null()) return std::nullopt;
  return read_within(key, *member, read);
}

template <class T>
void put_optional(json& object, std::string_view key, const std::optional<T>& value) {
  if (value) object[key] = *value;
}

}  // namespace airlock::protocol::fields
