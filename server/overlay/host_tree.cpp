#include "server/overlay/host_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "server/overlay/beneath.h"
#include "server/overlay/folder_entries.h"

namespace airlock::server::overlay {
namespace {

constexpr int kMaxDepth = 256;
constexpr std::size_t kMaxEntries = 1'000'000;

bool unchanged(int folder, const std::string& name, const timespec& since, int depth, std::size_t& budget) {
  const auto info = stat_entry(folder, name);
  if (!info) return true;
  if (budget-- == 0 || depth > kMaxDepth || changed_since(info->st_ctim, since)) return false;
  if (!S_ISDIR(info->st_mode)) return true;
  const UniqueFd below = open_folder_beneath(folder, name);
  for (const auto& entry : folder_entries(below.get(), budget)) {
    if (!unchanged(below.get(), entry, since, depth + 1, budget)) return false;
  }
  return true;
}

void remove_entry(int folder, const std::string& name, int depth) {
  const auto info = stat_entry(folder, name);
  if (!info) return;
  if (S_ISDIR(info->st_mode)) {
    if (depth > kMaxDepth) throw std::length_error("a folder tree deeper than " + std::to_string(kMaxDepth) + " levels");
    const UniqueFd below = open_folder_beneath(folder, name);
    for (const auto& entry : folder_entries(below.get(), kMaxEntries)) remove_entry(below.get(), entry, depth + 1);
  }
  if (::unlinkat(folder, name.c_str(), S_ISDIR(info->st_mode) ? AT_REMOVEDIR : 0) != 0 && errno != ENOENT) {
    throw_errno("removing \"" + name + "\"");
  }
}

}  // namespace

bool changed_since(const timespec& changed, const timespec& since) {
  return changed.tv_sec > since.tv_sec || (changed.tv_sec == since.tv_sec && changed.tv_nsec >= since.tv_nsec);
}

bool tree_unchanged_since(int folder, const std::string& name, const timespec& since) {
  std::size_t budget = kMaxEntries;
  try {
    return unchanged(folder, name, since, 0, budget);
  } catch (const std::length_error&) {
    return false;
  }
}

void remove_tree(int folder, const std::string& name) { remove_entry(folder, name, 0); }

}  // namespace airlock::server::overlay
