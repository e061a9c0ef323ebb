#include "server/session.h"

#include <spdlog/spdlog.h>

#include "protocol/output_notification.h"
#include "server/overlay/changed_file.h"
#include "server/overlay/layer_apply.h"
#include "server/request_error.h"
#include "server/run_plan.h"

namespace airlock::server {

using protocol::ErrorCode;
using protocol::json;
namespace method = protocol::method;

// Bridges one execute request to its run: notifications while it runs, then exactly one answer.
class Session::ExecuteObserver final : public RunObserver {
 public:
  ExecuteObserver(Session& session, Reply reply, std::string run_id)
      : session_(session), reply_(std::move(reply)), run_id_(std::move(run_id)) {}

  void on_started(const Run& run) override {
    protocol::StartedParams started{.runId = run.id(), .isolation = run.isolation(),
                                    .workspace = sandbox::to_string(run.plan().spec.policy.workspace_mode),
                                    .accelerator = session_.backends_.select(run.plan().spec.policy.isolation).accelerator()};
    if (const auto machine = run.machine())
      started.vm = protocol::StartedMachine{.vcpus = machine->vcpus, .memoryMB = machine->memory_mib, .prebooted = machine->prebooted};
    session_.transport_.send(protocol::make_notification(method::started, started));
  }

  void on_output(const Run& run, OutputStream stream, std::string_view text) override {
    protocol::write_output_notification(notification_, run.id(), to_string(stream), text, seq_++);
    session_.transport_.send_text(notification_);
  }

  void on_finished(const Run& run, const protocol::RunResult& result, bool unavailable) override {
    if (run.layer()) session_.layers_.keep(run.id(), run.layer());
    session_.diagnostics_.after_run(run, result, session_.transport_);
    session_.transport_.send(protocol::make_notification(method::exited, result));
    session_.executes_by_request_id_.erase(reply_.id().dump());
    if (unavailable) return reply_.error(ErrorCode::SandboxUnavailable, result.message.value_or("sandbox unavailable"));
    if (cancelled_by_request_) return reply_.error(ErrorCode::RequestCancelled, "the run was cancelled");
    reply_.result(result);
  }

  bool congested() const override { return session_.transport_.backlog_bytes() > StdioTransport::kHighWaterBytes; }
  void when_uncongested(std::function<void()> resume) override { session_.transport_.when_drained(std::move(resume)); }

  void cancel_by_request() {
    cancelled_by_request_ = true;
    session_.runs_.cancel(run_id_);
  }

 private:
  Session& session_;
  Reply reply_;
  std::string run_id_;
  std::int64_t seq_ = 0;
  std::string notification_;  // reused: a fresh buffer per piece of output cost page faults when streaming
  bool cancelled_by_request_ = false;
};

Session::Session(boost::asio::io_context& io, Transport& transport, const Backends& backends, ServerConfig config,
                 std::function<void(int)> on_exit)
    : transport_(transport),
      backends_(backends),
      config_(std::move(config)),
      on_exit_(std::move(on_exit)),
      runs_(io, backends, config_.max_concurrent_runs, config_.max_queued_runs) {
  // Sandboxes made ahead of the runs (the VM backend's warm pool) for runs with the default limits.
  for (const auto& backend : backends_.all()) backend->keep_warm({.size = config_.vm_pool_size, .limits = config_.default_limits});
  on_request<protocol::InitializeParams>(method::initialize, [this](const auto& p, Reply& r) { initialize(p, r); });
  on_request<json>(method::shutdown, [this](const json&, Reply& r) {
    state_ = State::shut_down;
    r.result(nullptr);
  });
  on_request<protocol::ExecuteParams>(method::execute, [this](const auto& p, Reply& r) { execute(p, r); });
  on_request<protocol::CancelRunParams>(method::cancel, [this](const auto& p, Reply& r) { cancel_run(p, r); });
  on_request<protocol::ApplyChangesParams>(method::apply_changes, [this](const auto& p, Reply& r) { apply_changes(p, r); });
  on_request<protocol::DiscardChangesParams>(method::discard_changes,
                                             [this](const auto& p, Reply& r) { discard_changes(p, r); });
  on_request<protocol::ReadChangedFileParams>(method::read_changed_file,
                                              [this](const auto& p, Reply& r) { read_changed_file(p, r); });

  on_notification<json>(method::initialized, [](const json&) {});
  on_notification<json>(method::exit, [this](const json&) { end(state_ == State::shut_down ? 0 : 1); });
  on_notification<protocol::CancelRequestParams>(method::cancel_request, [this](const auto& p) { cancel_request(p); });
  on_notification<protocol::InputParams>(method::input, [this](const auto& p) { input(p); });
}

Session::~Session() = default;

template <class Params, class Handler>
void Session::on_request(std::string_view name, Handler handler) {
  requests_.emplace(std::string(name), [handler = std::move(handler)](const json& params, Reply& reply) {
    if constexpr (std::is_same_v<Params, json>) {
      handler(params, reply);
    } else {
      handler(protocol::decode_params<Params>(params), reply);
    }
  });
}

template <class Params, class Handler>
void Session::on_notification(std::string_view name, Handler handler) {
  notifications_.emplace(std::string(name), [handler = std::move(handler)](const json& params) {
    if constexpr (std::is_same_v<Params, json>) {
      handler(params);
    } else {
      handler(protocol::decode_params<Params>(params));
    }
  });
}

void Session::start() {
  transport_.start({
      .on_message = [this](std::string body) { on_message(std::move(body)); },
      .on_frame_error =
          [this](const std::string& problem) {
            spdlog::warn("dropped a malformed frame: {}", problem);
            transport_.send(protocol::make_error(nullptr, ErrorCode::ParseError, "malformed message frame: " + problem));
          },
      .on_closed = [this] { end(state_ == State::shut_down ? 0 : 1); },
  });
}

void Session::on_message(std::string body) {
  if (state_ == State::exited) return;
  auto parsed = protocol::parse_message(body);
  if (auto* failure = std::get_if<protocol::DecodeFailure>(&parsed)) {
    transport_.send(protocol::make_error(failure->id, failure->error));
    return;
  }
  auto& message = std::get<protocol::Message>(parsed);
  if (auto* request = std::get_if<protocol::Request>(&message)) return dispatch(std::move(*request));
  if (auto* notification = std::get_if<protocol::Notification>(&message)) return dispatch(std::move(*notification));
  // Responses: this server sends no requests, so there is nothing to match them with.
}

void Session::dispatch(protocol::Request request) {
  Reply reply(transport_, request.id);
  if (state_ == State::uninitialized && request.method != method::initialize)
    return reply.error(ErrorCode::ServerNotInitialized, "the server is not initialized: send initialize first");
  if (state_ == State::shut_down) return reply.error(ErrorCode::InvalidRequest, "the server is shutting down: only exit is accepted");
  if (state_ == State::running && request.method == method::initialize)
    return reply.error(ErrorCode::InvalidRequest, "initialize was already received");
  auto handler = requests_.find(request.method);
  if (handler == requests_.end()) return reply.error(ErrorCode::MethodNotFound, "unknown method: " + request.method);
  // A handler that keeps the reply (execute) moves it out only once nothing can throw; until then a failure is
  // answered here.
  try {
    handler->second(request.params, reply);
  } catch (const protocol::ParamsError& error) {
    reply.error(ErrorCode::InvalidParams, error.what());
  } catch (const RequestError& error) {
    reply.error(error.code(), error.what());
  } catch (const std::exception& error) {
    spdlog::error("{} failed: {}", request.method, error.what());
    reply.error(ErrorCode::InternalError, std::string(request.method) + " failed: " + error.what());
  }
}

void Session::dispatch(protocol::Notification notification) {
  if (state_ == State::uninitialized && notification.method != method::exit) return;
  auto handler = notifications_.find(notification.method);
  if (handler == notifications_.end()) return;  // unknown notifications are ignored, as in LSP
  try {
    handler->second(notification.params);
  } catch (const std::exception& error) {
    spdlog::warn("ignored notification {}: {}", notification.method, error.what());
  }
}

void Session::initialize(const protocol::InitializeParams&, Reply& reply) {
  protocol::InitializeResult result;
  auto& sandbox = result.capabilities.sandbox;
  sandbox.languages = config_.languages.names();
  sandbox.isolation = backends_.available();
  for (const auto& backend : backends_.all()) {
    if (backend->unavailable_reason()) continue;
    if (auto accelerator = backend->accelerator()) sandbox.accelerators[sandbox::to_string(backend->isolation())] = *accelerator;
  }
  sandbox.workspaceModes = {"readonly", "overlay", "readwrite"};
  sandbox.interactive = true;
  auto to_wire = [](const sandbox::Limits& limits) {
    return protocol::ExecuteLimits{.timeoutMs = limits.timeout_ms, .memoryMB = limits.memory_bytes >> 20,
                                   .maxProcesses = limits.max_processes, .outputBytes = limits.output_bytes,
                                   .diskMB = limits.disk_bytes >> 20, .cpuSeconds = limits.cpu_seconds,
                                   .vcpus = limits.vcpus};
  };
  sandbox.limits = protocol::LimitsCapability{.defaults = to_wire(config_.default_limits), .maximums = to_wire(config_.max_limits)};
  result.serverInfo = {.name = "airlock", .version = AIRLOCK_VERSION};
  state_ = State::running;
  reply.result(result);
}

void Session::execute(const protocol::ExecuteParams& params, Reply& reply) {
  RunPlan plan = plan_run(params, config_);
  backends_.select(plan.spec.policy.isolation);
  std::string run_id = params.runId ? *params.runId : runs_.next_id();
  while (!params.runId && layers_.find(run_id)) run_id = runs_.next_id();
  if (layers_.find(run_id))
    throw invalid_params("params.runId: \"" + run_id +
                         "\" still has overlay changes waiting for review; apply or discard them first, or use another runId");
  runs_.admit(run_id);
  const std::string request_key = reply.id().dump();
  auto observer = std::make_shared<ExecuteObserver>(*this, std::move(reply), run_id);
  executes_by_request_id_[request_key] = observer;
  runs_.submit(run_id, std::move(plan), observer);
}

void Session::cancel_run(const protocol::CancelRunParams& params, Reply& reply) {
  reply.result(protocol::CancelRunResult{.cancelled = runs_.cancel(params.runId)});
}

void Session::cancel_request(const protocol::CancelRequestParams& params) {
  auto it = executes_by_request_id_.find(params.id.dump());
  if (it == executes_by_request_id_.end()) return;  // finished already, or not an execute request
  if (auto observer = it->second.lock()) observer->cancel_by_request();
}

void Session::input(const protocol::InputParams& params) {
  if (!runs_.write_input(params.runId, params.text, params.eof.value_or(false)))
    spdlog::warn("sandbox/input for {}: no such run is active", params.runId);
}

overlay::Layer& Session::pending_layer(const std::string& run_id) const {
  if (overlay::Layer* layer = layers_.find(run_id)) return *layer;
  throw invalid_params("params.runId: run \"" + run_id +
                       "\" has no overlay changes waiting for review (not an overlay run, it changed nothing, they "
                       "were applied or discarded, or the session dropped them)");
}

void Session::apply_changes(const protocol::ApplyChangesParams& params, Reply& reply) {
  overlay::Layer& layer = pending_layer(params.runId);
  std::vector<std::string> paths;
  if (params.paths) {
    for (std::size_t index = 0; index < params.paths->size(); ++index) {
      const std::string& path = (*params.paths)[index];
      if (!layer.find(path))
        throw invalid_params("params.paths[" + std::to_string(index) + "]: \"" + path + "\" is not a pending change of run \"" +
                             params.runId + "\"");
      paths.push_back(path);
    }
  } else {
    for (const auto& change : layer.changes()) paths.push_back(change.path);
  }
  protocol::ApplyChangesResult result = overlay::apply_changes(layer, paths);
  // Applying everything ends the review, conflicts included; a partial apply keeps what was not applied.
  layer.forget(result.applied);
  if (!params.paths || layer.changes().empty()) layers_.release(params.runId);
  reply.result(result);
}

void Session::discard_changes(const protocol::DiscardChangesParams& params, Reply& reply) {
  pending_layer(params.runId);
  layers_.release(params.runId);
  reply.result(nullptr);
}

void Session::read_changed_file(const protocol::ReadChangedFileParams& params, Reply& reply) {
  const overlay::Layer& layer = pending_layer(params.runId);
  const overlay::LayerChange* change = layer.find(params.path);
  if (!change) throw invalid_params("params.path: \"" + params.path + "\" is not a pending change of run \"" + params.runId + "\"");
  try {
    reply.result(overlay::read_changed_file(layer, *change));
  } catch (const std::length_error& error) {
    throw invalid_params(std::string("params.path: ") + error.what());
  }
}

void Session::end(int exit_code) {
  if (state_ == State::exited) return;
  state_ = State::exited;
  runs_.abandon_all();
  on_exit_(exit_code);
}

}  // namespace airlock::server
