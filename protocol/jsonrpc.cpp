#include "protocol/jsonrpc.h"

#include <limits>
#include <utility>

#include "protocol/utf8_chunker.h"

namespace airlock::protocol {
namespace {

// Deeper nesting is refused before parsing: no real message comes close, and a body of 64 MiB of '[' would
// otherwise cost gigabytes of parser state.
constexpr int kMaxJsonDepth = 128;

bool nests_deeper_than(std::string_view body, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

DecodeFailure invalid_request(std::string message, json id = nullptr) {
  return {make_response_error(ErrorCode::InvalidRequest, std::move(message)), std::move(id)};
}

bool is_int(const json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>() <= std::numeric_limits<int>::max();
  if (!value.is_number_integer()) return false;
  const auto number = value.get<std::int64_t>();
  return number >= std::numeric_limits<int>::min() && number <= std::numeric_limits<int>::max();
}

std::optional<ResponseError> parse_response_error(const json& error) {
  if (!error.is_object()) return std::nullopt;
  const auto code = error.find("code");
  const auto message = error.find("message");
  if (code == error.end() || !is_int(*code) || message == error.end() || !message->is_string()) return std::nullopt;
  ResponseError parsed{code->get<int>(), message->get<std::string>(), std::nullopt};
  if (const auto data = error.find("data"); data != error.end()) parsed.data = *data;
  return parsed;
}

std::variant<Message, DecodeFailure> classify_response(const json& message) {
  const auto id = message.find("id");
  if (id == message.end()) return invalid_request("a message needs a \"method\" (request or notification) or an \"id\" (response)");
  if (!id->is_null() && !is_valid_request_id(*id))
    return invalid_request("\"id\" must be an integer, a string or (in a response) null");
  const auto result = message.find("result");
  const auto error = message.find("error");
  if ((result == message.end()) == (error == message.end()))
    return invalid_request("a response needs exactly one of \"result\" and \"error\"", *id);
  if (result != message.end()) return Message{Response{*id, *result, std::nullopt}};
  auto parsed_error = parse_response_error(*error);
  if (!parsed_error)
    return invalid_request("\"error\" must be an object with an integer \"code\" and a string \"message\"", *id);
  return Message{Response{*id, std::nullopt, std::move(parsed_error)}};
}

std::variant<Message, DecodeFailure> classify(const json& message) {
  if (message.is_array()) return invalid_request("batches (JSON arrays) are not supported: send one message per frame");
  if (!message.is_object()) return invalid_request("a message must be a JSON object");
  const auto id = message.find("id");
  json reply_id = id != message.end() && is_valid_request_id(*id) ? *id : json(nullptr);

  const auto version = message.find("jsonrpc");
  if (version == message.end() || *version != "2.0") return invalid_request("\"jsonrpc\" must be \"2.0\"", reply_id);

  const auto method = message.find("method");
  if (method == message.end()) return classify_response(message);
  if (!method->is_string()) return invalid_request("\"method\" must be a string", reply_id);
  json params = nullptr;
  if (const auto found = message.find("params"); found != message.end()) {
    if (!found->is_object() && !found->is_array() && !found->is_null())
      return invalid_request("\"params\" must be an object or an array", reply_id);
    params = *found;
  }
  if (id == message.end()) return Message{Notification{method->get<std::string>(), std::move(params)}};
  if (!is_valid_request_id(*id)) return invalid_request("\"id\" of a request must be an integer or a string");
  return Message{Request{*id, method->get<std::string>(), std::move(params)}};
}

}  // namespace

ResponseError make_response_error(ErrorCode code, std::string message) {
  return {static_cast<int>(code), std::move(message), std::nullopt};
}

bool is_valid_request_id(const json& id) { return id.is_string() || id.is_number_integer(); }

std::variant<Message, DecodeFailure> parse_message(std::string_view body) {
  if (nests_deeper_than(body, kMaxJsonDepth))
    return DecodeFailure{
        make_response_error(ErrorCode::ParseError, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"),
        nullptr};
  json message;
  try {
    message = json::parse(body);
  } catch (const json::parse_error& error) {
    std::string_view reason = error.what();
    if (const auto tag_end = reason.find("] "); tag_end != std::string_view::npos) reason.remove_prefix(tag_end + 2);
    // The parser quotes the input it choked on, which may be invalid UTF-8; the answer must be valid JSON.
    return DecodeFailure{make_response_error(ErrorCode::ParseError, "invalid JSON: " + to_valid_utf8(reason)), nullptr};
  }
  return classify(message);
}

json make_result(const json& id, json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json make_error(const json& id, const ResponseError& error) {
  json body = {{"code", error.code}, {"message", error.message}};
  if (error.data) body["data"] = *error.data;
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(body)}};
}

json make_error(const json& id, ErrorCode code, std::string message) {
  return make_error(id, make_response_error(code, std::move(message)));
}

json make_notification(std::string_view method, json params) {
  json message = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  return message;
}

json make_request(const json& id, std::string_view method, json params) {
  json message = make_notification(method, std::move(params));
  message["id"] = id;
  return message;
}

}  // namespace airlock::protocol
