#pragma once

// The JSON-RPC 2.0 envelope as LSP uses it: requests, notifications, responses, no batches.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "protocol/json.h"

namespace airlock::protocol {

enum class ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  RequestCancelled = -32800,
  SandboxUnavailable = -32010,
};

struct ResponseError {
  int code;
  std::string message;
  std::optional<json> data;

  bool operator==(const ResponseError&) const = default;
};

ResponseError make_response_error(ErrorCode code, std::string message);

// id: number or string
struct Request {
  json id;
  std::string method;
  json params;  // object, array, or null when absent
};

struct Notification {
  std::string method;
  json params;  // object, array, or null when absent
};

// Exactly one of result and error is set; a null result (as for "shutdown") is a set result holding null.
struct Response {
  json id;
  std::optional<json> result;
  std::optional<ResponseError> error;
};

using Message = std::variant<Request, Notification, Response>;

// Why a body is not a message, and the id to answer with (null when unknown).
struct DecodeFailure {
  ResponseError error;
  json id;
};

// An id a request may carry: an integer or a string.
bool is_valid_request_id(const json& id);

// -32700 for bad JSON (id null); -32600 for JSON that is not a valid message (keeping its id if that id is valid).
std::variant<Message, DecodeFailure> parse_message(std::string_view body);

json make_result(const json& id, json result);
json make_error(const json& id, const ResponseError& error);
json make_error(const json& id, ErrorCode code, std::string message);
// Null params are left out of the message.
json make_notification(std::string_view method, json params);
json make_request(const json& id, std::string_view method, json params);

}  // namespace airlock::protocol
