#include "server/run_manager.h"

#include "server/request_error.h"

namespace airlock::server {

RunManager::RunManager(boost::asio::io_context& io, const Backends& backends, int max_concurrent, int max_queued)
    : io_(io), backends_(backends), max_concurrent_(static_cast<std::size_t>(max_concurrent)),
      max_queued_(static_cast<std::size_t>(max_queued)) {}

RunManager::~RunManager() { abandon_all(); }

std::string RunManager::next_id() {
  std::string id;
  do id = "run-" + std::to_string(++counter_);
  while (runs_.contains(id));
  return id;
}

void RunManager::admit(const std::string& id) const {
  if (runs_.contains(id)) throw invalid_params("params.runId: \"" + id + "\" is already in use in this session");
  if (running_ >= max_concurrent_ && queue_.size() >= max_queued_)
    throw RequestError(protocol::ErrorCode::InternalError,
                       "too many runs: " + std::to_string(running_) + " running and " + std::to_string(queue_.size()) +
                           " queued; wait for some to finish or cancel them");
}

std::shared_ptr<Run> RunManager::submit(std::string id, RunPlan plan, std::shared_ptr<RunObserver> observer) {
  admit(id);
  sandbox::Backend& backend = backends_.select(plan.spec.policy.isolation);
  auto run = std::make_shared<Run>(io_, id, std::move(plan), backend, std::move(observer),
                                   [this](Run& finished) { on_run_done(finished); });
  runs_.emplace(id, run);
  if (running_ < max_concurrent_) {
    ++running_;
    run->start();
  } else {
    queue_.push_back(run);
  }
  return run;
}

bool RunManager::cancel(const std::string& id) {
  auto it = runs_.find(id);
  if (it == runs_.end()) return false;
  auto run = it->second;
  std::erase(queue_, run);
  run->cancel();
  return true;
}

bool RunManager::write_input(const std::string& id, std::string text, bool eof) {
  auto it = runs_.find(id);
  if (it == runs_.end()) return false;
  it->second->write_input(std::move(text), eof);
  return true;
}

void RunManager::on_run_done(Run& run) {
  auto it = runs_.find(run.id());
  if (it == runs_.end() || it->second.get() != &run) return;
  runs_.erase(it);
  if (run.started()) --running_;
  start_queued();
}

void RunManager::start_queued() {
  while (running_ < max_concurrent_ && !queue_.empty()) {
    auto run = queue_.front();
    queue_.pop_front();
    ++running_;
    run->start();
  }
}

void RunManager::abandon_all() {
  queue_.clear();
  for (auto& [id, run] : runs_) run->abandon();
  runs_.clear();
  running_ = 0;
}

}  // namespace airlock::server
