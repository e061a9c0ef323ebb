#include "protocol/output_notification.h"

#include "protocol/json_string_writer.h"
#include "protocol/methods.h"

namespace airlock::protocol {

void write_output_notification(std::string& out, std::string_view run_id, std::string_view stream,
                               std::string_view text, std::int64_t seq) {
  // Keys in the order nlohmann::json keeps them: sorted.
  out.clear();
  out.reserve(text.size() + run_id.size() + 128);
  out += R"({"jsonrpc":"2.0","method":)";
  append_json_string(out, method::output);
  out += R"(,"params":{"runId":)";
  append_json_string(out, run_id);
  out += R"(,"seq":)";
  out += std::to_string(seq);
  out += R"(,"stream":)";
  append_json_string(out, stream);
  out += R"(,"text":)";
  append_json_string(out, text);
  out += "}}";
}

}  // namespace airlock::protocol
