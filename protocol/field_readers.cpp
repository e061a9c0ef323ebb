#include "protocol/field_readers.h"

namespace airlock::protocol::fields {
namespace {

constexpr std::size_t kQuotedStringBytes = 40;

[[noreturn]] void fail(std::string expected, const json& got) {
  throw ParamsError("", "expected " + std::move(expected) + ", got " + describe(got));
}

std::string describe_integer_range(std::int64_t min, std::int64_t max) {
  if (min == std::numeric_limits<std::int64_t>::min() && max == std::numeric_limits<std::int64_t>::max())
    return "an integer";
  if (max != std::numeric_limits<std::int64_t>::max())
    return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (min == 0) return "a non-negative integer";
  if (min == 1) return "a positive integer";
  return "an integer >= " + std::to_string(min);
}

}  // namespace

std::string describe(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return value.dump();
    case json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      if (text.size() <= kQuotedStringBytes) return "the string " + value.dump();
      return "a string of " + std::to_string(text.size()) + " bytes";
    }
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "a value of type " + std::string(value.type_name());
  }
}

const json& expect_object(const json& value) {
  if (!value.is_object()) fail("an object", value);
  return value;
}

std::string read_string(const json& value) {
  if (!value.is_string()) fail("a string", value);
  return value.get<std::string>();
}

std::string read_non_empty_string(const json& value) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) fail("a non-empty string", value);
  return value.get<std::string>();
}

std::string read_os_string(const json& value) {
  auto text = read_string(value);
  if (text.find('\0') != std::string::npos) throw ParamsError("", "must not contain a NUL character (\\u0000)");
  return text;
}

std::string read_non_empty_os_string(const json& value) {
  auto text = read_os_string(value);
  if (text.empty()) fail("a non-empty string", value);
  return text;
}

bool read_bool(const json& value) {
  if (!value.is_boolean()) fail("true or false", value);
  return value.get<bool>();
}

double read_non_negative_number(const json& value) {
  if (!value.is_number() || value.get<double>() < 0) fail("a non-negative number", value);
  return value.get<double>();
}

json read_request_id(const json& value) {
  if (!value.is_string() && !value.is_number_integer()) fail("an integer or a string", value);
  return value;
}

std::int64_t read_integer_in_range(const json& value, std::int64_t min, std::int64_t max) {
  auto expected = describe_integer_range(min, max);
  if (!value.is_number_integer()) fail(std::move(expected), value);
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(max))
    fail(std::move(expected), value);
  const auto number = value.get<std::int64_t>();
  if (number < min || number > max) fail(std::move(expected), value);
  return number;
}

std::string read_one_of(const json& value, std::span<const std::string_view> allowed) {
  if (value.is_string()) {
    for (const auto choice : allowed)
      if (value.get_ref<const std::string&>() == choice) return std::string(choice);
  }
  std::string expected = "one of ";
  for (std::size_t index = 0; index < allowed.size(); ++index) {
    if (index > 0) expected += ", ";
    expected += json(allowed[index]).dump();
  }
  fail(std::move(expected), value);
}

}  // namespace airlock::protocol::fields
