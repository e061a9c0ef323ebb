#include "protocol/window_messages.h"

#include "protocol/field_readers.h"

namespace airlock::protocol {

void from_json(const json& value, LogMessageParams& params) {
  fields::expect_object(value);
  params.type = static_cast<int>(
      fields::required(value, "type", fields::integer_in_range(kMessageTypeError, kMessageTypeLog)));
  params.message = fields::required(value, "message", fields::read_string);
}

void to_json(json& value, const LogMessageParams& params) {
  value = {{"type", params.type}, {"message", params.message}};
}

}  // namespace airlock::protocol
