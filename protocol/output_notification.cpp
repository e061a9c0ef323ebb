#include "protocol/output_notification.h"

#include "protocol/json_string_writer.h"
#include "protocol/methods.h"

namespace airlock::protocol {

std::string encode_output_notification(const OutputParams& params) {
  // Keys in the order nlohmann::json keeps them: sorted.
  std::string json_text;
  json_text.reserve(params.text.size() + params.runId.size() + 128);
  json_text += R"({"jsonrpc":"2.0","method":)";
  append_json_string(json_text, method::output);
  json_text += R"(,"params":{"runId":)";
  append_json_string(json_text, params.runId);
  json_text += R"(,"seq":)";
  json_text += std::to_string(params.seq);
  json_text += R"(,"stream":)";
  append_json_string(json_text, params.stream);
  json_text += R"(,"text":)";
  append_json_string(json_text, params.text);
  json_text += "}}";
  return json_text;
}

}  // namespace airlock::protocol
