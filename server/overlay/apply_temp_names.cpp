#include "server/overlay/apply_temp_names.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <stdexcept>

#include "server/overlay/folder_entries.h"
#include "server/overlay/host_tree.h"
#include "server/overlay/layer_scan.h"

namespace airlock::server::overlay {
namespace {

// Folders with more entries than this are not searched for leftovers; applying there still works.
constexpr std::size_t kMaxEntriesSearched = 100'000;

bool made_by_live_process(const std::string& name) {
  const std::string_view rest = std::string_view(name).substr(std::string_view(kApplyTempPrefix).size());
  pid_t pid = 0;
  const auto parsed = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
  if (parsed.ec != std::errc() || pid <= 0) return false;
  if (pid == ::getpid()) return false;
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace

std::string make_apply_temp_name() {
  static std::uint64_t counter = 0;
  return std::string(kApplyTempPrefix) + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

void remove_stale_apply_temps(int folder) {
  std::vector<std::string> names;
  try {
    names = folder_entries(folder, kMaxEntriesSearched);
  } catch (const std::length_error&) {
    return;
  }
  for (const auto& name : names) {
    if (name.starts_with(kApplyTempPrefix) && !made_by_live_process(name)) remove_tree(folder, name);
  }
}

}  // namespace airlock::server::overlay
