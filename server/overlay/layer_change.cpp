#include "server/overlay/layer_change.h"

namespace airlock::server::overlay {

const char* to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::added: return "added";
    case ChangeKind::modified: return "modified";
    case ChangeKind::deleted: return "deleted";
  }
  return "unknown";
}

const char* to_string(EntryType type) {
  switch (type) {
    case EntryType::file: return "file";
    case EntryType::directory: return "directory";
    case EntryType::symlink: return "symlink";
  }
  return "unknown";
}

bool HostEntry::operator==(const HostEntry& other) const {
  return device == other.device && inode == other.inode && mode == other.mode && size == other.size &&
         modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec &&
         changed.tv_sec == other.changed.tv_sec && changed.tv_nsec == other.changed.tv_nsec;
}

HostEntry host_entry_of(const struct stat& info) {
  return {.device = info.st_dev,
          .inode = info.st_ino,
          .mode = info.st_mode,
          .size = info.st_size,
          .modified = info.st_mtim,
          .changed = info.st_ctim};
}

}  // namespace airlock::server::overlay
