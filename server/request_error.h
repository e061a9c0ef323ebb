#pragma once

#include <stdexcept>
#include <string>

#include "protocol/jsonrpc.h"

namespace airlock::server {

// A request that cannot be served; the session answers it with this code and message.
class RequestError : public std::runtime_error {
 public:
  RequestError(protocol::ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  protocol::ErrorCode code() const { return code_; }

 private:
  protocol::ErrorCode code_;
};

inline RequestError invalid_params(const std::string& message) {
  return RequestError(protocol::ErrorCode::InvalidParams, message);
}

}  // namespace airlock::server
