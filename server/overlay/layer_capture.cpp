#include "server/overlay/layer_capture.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <time.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <system_error>

#include "server/overlay/layer_scan.h"

namespace airlock::server::overlay {
namespace {

std::string normalized(const std::string& relative) {
  std::string path = std::filesystem::path(relative).lexically_normal().string();
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// No room or no inodes left: the run hit the layer's size or entry limit.
bool is_full(int upper) {
  struct statvfs usage {};
  return ::fstatvfs(upper, &usage) == 0 && (usage.f_bavail == 0 || usage.f_favail == 0);
}

timespec to_timespec(std::chrono::system_clock::time_point instant) {
  const auto since_epoch = std::chrono::duration_cast<std::chrono::nanoseconds>(instant.time_since_epoch());
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  return {.tv_sec = static_cast<time_t>(seconds.count()), .tv_nsec = static_cast<long>((since_epoch - seconds).count())};
}

void add_note(protocol::RunResult& result, const std::string& note) {
  result.message = result.message ? *result.message + "; " + note : note;
}

std::string format_mib(std::int64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

LayerCapture::LayerCapture(sandbox::LaunchSpec& spec) {
  const sandbox::Policy& policy = spec.policy;
  workspace_.reset(::open(policy.workspace.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!workspace_) {
    throw std::system_error(errno, std::generic_category(), "opening the workspace " + policy.workspace.string());
  }
  // A change gets a ctime from the coarse clock or a finer one, never later than the precise time of the change
  // and never earlier than the coarse clock at that moment. So whatever changed before the precise start has a
  // ctime below it, and whatever changes once the coarse clock has passed it has one at or above it: the sandbox
  // holds the steps back until then, while it is being set up, instead of the server waiting here.
  const auto start = std::chrono::system_clock::now();
  started_ = to_timespec(start);
  spec.steps_wait_for_clock = start;
  for (const auto& path : policy.protected_paths) protected_paths_.push_back(normalized(path));
}

std::shared_ptr<Layer> LayerCapture::collect(protocol::RunResult& result, std::int64_t disk_bytes) {
  if (!upper_) return nullptr;
  if (result.status == protocol::RunStatus::failed && is_full(upper_.get())) {
    result.status = protocol::RunStatus::limit;
    result.limit = "disk";
    add_note(result, "the overlay layer is full: the run may write at most " + format_mib(disk_bytes) +
                         " (limits.diskMB) and a bounded number of files and folders");
  }
  LayerScan scan;
  try {
    scan = scan_layer(upper_.get(), workspace_.get(), protected_paths_);
  } catch (const std::exception& error) {
    add_note(result, std::string("the run's overlay changes cannot be reviewed and were dropped: ") + error.what());
    return nullptr;
  }
  for (const auto& change : scan.changes) result.changes.push_back({.path = change.path, .kind = to_string(change.kind)});
  if (!scan.left_out.empty()) {
    std::string note = "not carried over from the overlay:";
    for (const auto& entry : scan.left_out) note += " " + entry + ";";
    note.pop_back();
    add_note(result, note);
  }
  if (scan.changes.empty()) return nullptr;
  return std::make_shared<Layer>(std::move(upper_), std::move(workspace_), started_, protected_paths_,
                                 std::move(scan.changes));
}

}  // namespace airlock::server::overlay
