#include "server/overlay/layer_capture.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <time.h>

#include <cerrno>
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

bool earlier(const timespec& a, const timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

// A change gets a ctime from the coarse clock or a finer one, never later than the precise time of the change
// and never earlier than the coarse clock at that moment. A start read from the coarse clock once it has
// passed the precise time of now splits cleanly: whatever changed before has a ctime below the start, whatever
// changes after has one at or above it. The coarse clock lags by a tick or two, so this waits a few ms.
timespec start_of_run() {
  timespec precise{}, coarse{};
  ::clock_gettime(CLOCK_REALTIME, &precise);
  ::clock_gettime(CLOCK_REALTIME_COARSE, &coarse);
  const timespec first = coarse;
  constexpr timespec kPause{.tv_sec = 0, .tv_nsec = 200'000};
  for (int attempt = 0; attempt < 500 && earlier(coarse, precise); ++attempt) {
    ::nanosleep(&kPause, nullptr);
    ::clock_gettime(CLOCK_REALTIME_COARSE, &coarse);
  }
  // A clock stuck for 100 ms: the earlier start errs towards reporting conflicts, never towards overwriting.
  return earlier(coarse, precise) ? first : coarse;
}

void add_note(protocol::RunResult& result, const std::string& note) {
  result.message = result.message ? *result.message + "; " + note : note;
}

std::string format_mib(std::int64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

LayerCapture::LayerCapture(const sandbox::Policy& policy) {
  workspace_.reset(::open(policy.workspace.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!workspace_) {
    throw std::system_error(errno, std::generic_category(), "opening the workspace " + policy.workspace.string());
  }
  started_ = start_of_run();
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
