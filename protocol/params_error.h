#pragma once

// Decoding typed params: every failure names the offending field by its JSON path, so the server can answer
// -32602 with a message a client author can act on.

#include <stdexcept>
#include <string>
#include <string_view>

#include "protocol/json.h"

namespace airlock::protocol {

struct ParamsError : std::runtime_error {
  // path: where the problem is, relative to the value being decoded ("limits.timeoutMs", "args[2]"; empty for the
  // value itself). problem: what is wrong ("expected a positive integer, got 0").
  ParamsError(std::string path, std::string problem);

  // The same error seen from the value that contains this one under `parent` ("limits", "[2]").
  ParamsError within(std::string_view parent) const;

  std::string path;
  std::string problem;
};

// "a" + "b" -> "a.b", "a" + "[2]" -> "a[2]", "" + "b" -> "b"
std::string join_json_path(std::string_view parent, std::string_view child);

// Decodes a request's params; a ParamsError's path then starts with "params".
template <class T>
T decode_params(const json& params) {
  T value;
  try {
    from_json(params, value);
  } catch (const ParamsError& error) {
    throw error.within("params");
  }
  return value;
}

}  // namespace airlock::protocol
