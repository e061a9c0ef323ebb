#pragma once

#include <memory>

#include "protocol/jsonrpc.h"
#include "server/transport.h"

namespace airlock::server {

// The answer to one request. Move-only; answers exactly once. A reply dropped unanswered answers -32603,
// so a client never waits forever on a bug.
class Reply {
 public:
  Reply(Transport& transport, protocol::json id) : transport_(&transport), id_(std::move(id)) {}
  Reply(Reply&& other) noexcept : transport_(std::exchange(other.transport_, nullptr)), id_(std::move(other.id_)) {}
  Reply& operator=(Reply&&) = delete;
  Reply(const Reply&) = delete;
  ~Reply() {
    if (transport_) error(protocol::ErrorCode::InternalError, "the server dropped this request without an answer");
  }

  void result(protocol::json value) {
    if (auto* transport = std::exchange(transport_, nullptr)) transport->send(protocol::make_result(id_, std::move(value)));
  }
  void error(protocol::ErrorCode code, std::string message) {
    if (auto* transport = std::exchange(transport_, nullptr))
      transport->send(protocol::make_error(id_, code, std::move(message)));
  }
  const protocol::json& id() const { return id_; }

 private:
  Transport* transport_;
  protocol::json id_;
};

}  // namespace airlock::server
