#pragma once

// Owns every run of a session: at most `max_concurrent` execute at once, the rest wait in order.

#include <deque>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "server/backends.h"
#include "server/run.h"

namespace airlock::server {

class RunManager {
 public:
  RunManager(boost::asio::io_context& io, const Backends& backends, int max_concurrent, int max_queued);
  ~RunManager();

  // Throws RequestError when the queue is full or the id is taken; submit() checks the same, and also that
  // the plan's isolation is available.
  void admit(const std::string& id) const;
  std::shared_ptr<Run> submit(std::string id, RunPlan plan, std::shared_ptr<RunObserver> observer);
  // A fresh id, unique in this session.
  std::string next_id();

  // False when no such run is active or queued.
  bool cancel(const std::string& id);
  bool write_input(const std::string& id, std::string text, bool eof);
  // Kills every run (their sandboxes die and are reaped before this returns); no results are reported.
  void abandon_all();

  std::size_t active() const { return running_; }
  std::size_t queued() const { return queue_.size(); }

 private:
  void on_run_done(Run& run);
  void start_queued();

  boost::asio::io_context& io_;
  const Backends& backends_;
  std::size_t max_concurrent_;
  std::size_t max_queued_;
  std::map<std::string, std::shared_ptr<Run>> runs_;
  std::deque<std::shared_ptr<Run>> queue_;
  std::size_t running_ = 0;
  std::uint64_t counter_ = 0;
};

}  // namespace airlock::server
