#include <doctest/doctest.h>

#include <random>
#include <string>

#include "protocol/jsonrpc.h"

namespace airlock::protocol {
namespace {

Message parse_ok(std::string_view body) {
  auto parsed = parse_message(body);
  REQUIRE(std::holds_alternative<Message>(parsed));
  return std::get<Message>(std::move(parsed));
}

DecodeFailure parse_failure(std::string_view body) {
  auto parsed = parse_message(body);
  REQUIRE(std::holds_alternative<DecodeFailure>(parsed));
  return std::get<DecodeFailure>(std::move(parsed));
}

}  // namespace

TEST_CASE("jsonrpc: requests keep integer and string ids; absent params become null") {
  const auto with_number = parse_ok(R"({"jsonrpc":"2.0","id":7,"method":"shutdown"})");
  REQUIRE(std::holds_alternative<Request>(with_number));
  CHECK(std::get<Request>(with_number).id == 7);
  CHECK(std::get<Request>(with_number).method == "shutdown");
  CHECK(std::get<Request>(with_number).params.is_null());

  const auto with_string = parse_ok(R"({"jsonrpc":"2.0","id":"a-1","method":"sandbox/execute","params":{"x":1}})");
  REQUIRE(std::holds_alternative<Request>(with_string));
  CHECK(std::get<Request>(with_string).id == "a-1");
  CHECK(std::get<Request>(with_string).params == json{{"x", 1}});

  const auto with_null_params = parse_ok(R"({"jsonrpc":"2.0","id":1,"method":"shutdown","params":null})");
  CHECK(std::get<Request>(with_null_params).params.is_null());
}

TEST_CASE("jsonrpc: a message without id is a notification") {
  const auto message = parse_ok(R"({"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":3}})");
  REQUIRE(std::holds_alternative<Notification>(message));
  CHECK(std::get<Notification>(message).method == "$/cancelRequest");
  CHECK(std::get<Notification>(message).params == json{{"id", 3}});
}

TEST_CASE("jsonrpc: responses carry a result (possibly null) or an error") {
  const auto null_result = parse_ok(R"({"jsonrpc":"2.0","id":1,"result":null})");
  REQUIRE(std::holds_alternative<Response>(null_result));
  REQUIRE(std::get<Response>(null_result).result.has_value());
  CHECK(std::get<Response>(null_result).result->is_null());
  CHECK_FALSE(std::get<Response>(null_result).error.has_value());

  const auto error = parse_ok(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad","data":[1]}})");
  REQUIRE(std::holds_alternative<Response>(error));
  const auto& response = std::get<Response>(error);
  CHECK(response.id.is_null());
  CHECK_FALSE(response.result.has_value());
  REQUIRE(response.error.has_value());
  CHECK(*response.error == ResponseError{-32700, "bad", json::array({1})});
}

TEST_CASE("jsonrpc: unparseable JSON is a parse error with a null id and a valid UTF-8 message") {
  for (const std::string body : {"", "{", "{\"jsonrpc\":\"2.0\",\"id\":1,", "nul", "{\"a\":\"\xff\xfe\"}", "\xc3"}) {
    CAPTURE(body);
    const auto failure = parse_failure(body);
    CHECK(failure.error.code == static_cast<int>(ErrorCode::ParseError));
    CHECK(failure.id.is_null());
    CHECK(failure.error.message.rfind("invalid JSON: ", 0) == 0);
    CHECK_NOTHROW(make_error(failure.id, failure.error).dump());
  }
}

TEST_CASE("jsonrpc: deeply nested JSON is refused before parsing; brackets inside strings do not count") {
  const auto failure = parse_failure(std::string(1'000'000, '['));
  CHECK(failure.error.code == static_cast<int>(ErrorCode::ParseError));
  CHECK(failure.error.message.find("nested deeper") != std::string::npos);

  const auto in_string = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"t\":\"" + std::string(1000, '[') + "\\\"\"}}";
  CHECK(std::holds_alternative<Notification>(parse_ok(in_string)));
}

TEST_CASE("jsonrpc: valid JSON that is not a message is an invalid request, keeping a valid id") {
  struct Case {
    std::string body;
    json id;
    std::string reason;
  };
  for (const auto& test_case : {
           Case{R"([{"jsonrpc":"2.0","id":1,"method":"shutdown"}])", nullptr, "batches"},
           Case{"42", nullptr, "JSON object"},
           Case{R"("text")", nullptr, "JSON object"},
           Case{R"({"id":1,"method":"shutdown"})", 1, "\"jsonrpc\" must be \"2.0\""},
           Case{R"({"jsonrpc":"1.0","id":"x","method":"shutdown"})", "x", "\"jsonrpc\" must be \"2.0\""},
           Case{R"({"jsonrpc":2.0,"id":1,"method":"shutdown"})", 1, "\"jsonrpc\" must be \"2.0\""},
           Case{R"({"jsonrpc":"2.0","id":1,"method":5})", 1, "\"method\" must be a string"},
           Case{R"({"jsonrpc":"2.0","id":1,"method":"m","params":"p"})", 1, "\"params\" must be"},
           Case{R"({"jsonrpc":"2.0","id":1.5,"method":"m"})", nullptr, "\"id\" of a request"},
           Case{R"({"jsonrpc":"2.0","id":null,"method":"m"})", nullptr, "\"id\" of a request"},
           Case{R"({"jsonrpc":"2.0","id":{"a":1},"method":"m"})", nullptr, "\"id\" of a request"},
           Case{R"({"jsonrpc":"2.0","id":true,"method":"m"})", nullptr, "\"id\" of a request"},
           Case{R"({"jsonrpc":"2.0"})", nullptr, "needs a \"method\""},
           Case{R"({"jsonrpc":"2.0","id":[1],"result":1})", nullptr, "\"id\" must be"},
           Case{R"({"jsonrpc":"2.0","id":3})", 3, "exactly one of \"result\" and \"error\""},
           Case{R"({"jsonrpc":"2.0","id":3,"result":1,"error":{"code":1,"message":"m"}})", 3, "exactly one"},
           Case{R"({"jsonrpc":"2.0","id":3,"error":"oops"})", 3, "\"error\" must be an object"},
           Case{R"({"jsonrpc":"2.0","id":3,"error":{"code":"1","message":"m"}})", 3, "\"error\" must be an object"},
           Case{R"({"jsonrpc":"2.0","id":3,"error":{"code":1e3,"message":"m"}})", 3, "\"error\" must be an object"},
           Case{R"({"jsonrpc":"2.0","id":3,"error":{"code":4294967296,"message":"m"}})", 3, "\"error\" must be"},
           Case{R"({"jsonrpc":"2.0","id":3,"error":{"code":1}})", 3, "\"error\" must be an object"},
       }) {
    const auto& [body, id, reason] = test_case;
    CAPTURE(test_case.body);
    const auto failure = parse_failure(body);
    CHECK(failure.error.code == static_cast<int>(ErrorCode::InvalidRequest));
    CHECK(failure.id == id);
    CHECK(failure.error.message.find(reason) != std::string::npos);
  }
}

TEST_CASE("jsonrpc: builders produce the JSON-RPC 2.0 shapes") {
  CHECK(make_result(1, nullptr) == json::parse(R"({"jsonrpc":"2.0","id":1,"result":null})"));
  CHECK(make_error("r", ErrorCode::MethodNotFound, "no such method: x") ==
        json::parse(R"({"jsonrpc":"2.0","id":"r","error":{"code":-32601,"message":"no such method: x"}})"));
  CHECK(make_error(nullptr, ResponseError{-32010, "no sandbox", json{{"fix", "enable userns"}}}) ==
        json::parse(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32010,"message":"no sandbox","data":{"fix":"enable userns"}}})"));
  CHECK(make_notification("exit", nullptr) == json::parse(R"({"jsonrpc":"2.0","method":"exit"})"));
  CHECK(make_notification("sandbox/output", {{"seq", 0}}) ==
        json::parse(R"({"jsonrpc":"2.0","method":"sandbox/output","params":{"seq":0}})"));
  CHECK(make_request(4, "initialize", json::object()) ==
        json::parse(R"({"jsonrpc":"2.0","id":4,"method":"initialize","params":{}})"));
}

TEST_CASE("jsonrpc: every error code has its wire value") {
  CHECK(static_cast<int>(ErrorCode::ParseError) == -32700);
  CHECK(static_cast<int>(ErrorCode::InvalidRequest) == -32600);
  CHECK(static_cast<int>(ErrorCode::MethodNotFound) == -32601);
  CHECK(static_cast<int>(ErrorCode::InvalidParams) == -32602);
  CHECK(static_cast<int>(ErrorCode::InternalError) == -32603);
  CHECK(static_cast<int>(ErrorCode::ServerNotInitialized) == -32002);
  CHECK(static_cast<int>(ErrorCode::RequestCancelled) == -32800);
  CHECK(static_cast<int>(ErrorCode::SandboxUnavailable) == -32010);
}

TEST_CASE("jsonrpc: built messages parse back to the same message") {
  const auto request = parse_ok(make_request("id-9", "sandbox/cancel", {{"runId", "r1"}}).dump());
  REQUIRE(std::holds_alternative<Request>(request));
  CHECK(std::get<Request>(request).id == "id-9");
  CHECK(std::get<Request>(request).params == json{{"runId", "r1"}});

  const auto error = parse_ok(make_error(2, ErrorCode::RequestCancelled, "cancelled").dump());
  REQUIRE(std::holds_alternative<Response>(error));
  CHECK(std::get<Response>(error).error == make_response_error(ErrorCode::RequestCancelled, "cancelled"));
}

TEST_CASE("jsonrpc: corrupted messages never throw and every failure can be answered") {
  std::mt19937 random(5);
  const std::string valid = R"({"jsonrpc":"2.0","id":12,"method":"sandbox/execute","params":{"code":"é","args":[1,[2]]}})";
  for (int round = 0; round < 5000; ++round) {
    auto body = valid;
    const auto flips = std::uniform_int_distribution<int>(1, 4)(random);
    for (int flip = 0; flip < flips; ++flip)
      body[std::uniform_int_distribution<std::size_t>(0, body.size() - 1)(random)] =
          static_cast<char>(std::uniform_int_distribution<int>(0, 255)(random));
    CAPTURE(round);
    const auto parsed = parse_message(body);
    if (const auto* failure = std::get_if<DecodeFailure>(&parsed)) {
      CHECK((failure->id.is_null() || is_valid_request_id(failure->id)));
      CHECK_NOTHROW(make_error(failure->id, failure->error).dump());
    }
  }
}

}  // namespace airlock::protocol
