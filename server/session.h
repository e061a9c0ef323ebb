#pragma once

// One client connection: the LSP lifecycle, a table binding each method to a typed handler, and the bridge
// between execute requests and their runs. Handlers never see raw JSON; they get decoded params and a Reply.

#include <functional>
#include <map>
#include <string>

#include <boost/asio/io_context.hpp>

#include "protocol/messages.h"
#include "server/backends.h"
#include "server/config.h"
#include "server/diagnostics_publisher.h"
#include "server/overlay/pending_layers.h"
#include "server/reply.h"
#include "server/run_manager.h"
#include "server/transport.h"

namespace airlock::server {

class Session {
 public:
  // `on_exit` gets the process exit code: 0 after shutdown, 1 otherwise (as in LSP).
  Session(boost::asio::io_context& io, Transport& transport, const Backends& backends, ServerConfig config,
          std::function<void(int exit_code)> on_exit);
  ~Session();

  void start();

 private:
  class ExecuteObserver;
  enum class State { uninitialized, running, shut_down, exited };
  using RequestHandler = std::function<void(const protocol::json& params, Reply& reply)>;
  using NotificationHandler = std::function<void(const protocol::json& params)>;

  template <class Params, class Handler>
  void on_request(std::string_view method, Handler handler);
  template <class Params, class Handler>
  void on_notification(std::string_view method, Handler handler);

  void on_message(std::string body);
  void dispatch(protocol::Request request);
  void dispatch(protocol::Notification notification);
  void end(int exit_code);

  void initialize(const protocol::InitializeParams& params, Reply& reply);
  void execute(const protocol::ExecuteParams& params, Reply& reply);
  void cancel_run(const protocol::CancelRunParams& params, Reply& reply);
  void cancel_request(const protocol::CancelRequestParams& params);
  void input(const protocol::InputParams& params);
  void apply_changes(const protocol::ApplyChangesParams& params, Reply& reply);
  void discard_changes(const protocol::DiscardChangesParams& params, Reply& reply);
  void read_changed_file(const protocol::ReadChangedFileParams& params, Reply& reply);
  // Throws RequestError (-32602) when the run has no changes waiting for review.
  overlay::Layer& pending_layer(const std::string& run_id) const;

  Transport& transport_;
  const Backends& backends_;
  ServerConfig config_;
  std::function<void(int)> on_exit_;
  State state_ = State::uninitialized;
  RunManager runs_;
  DiagnosticsPublisher diagnostics_;
  overlay::PendingLayers layers_;
  std::map<std::string, RequestHandler, std::less<>> requests_;
  std::map<std::string, NotificationHandler, std::less<>> notifications_;
  // Execute requests still running, by the request id's JSON text, for $/cancelRequest.
  std::map<std::string, std::weak_ptr<ExecuteObserver>> executes_by_request_id_;
};

}  // namespace airlock::server
