#pragma once

// One entry an overlay run changed, as found by comparing its layer with the host's workspace, together with
// what the host's entry was when the layer was scanned, so applying can tell whether the host changed since.

#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include <optional>
#include <string>

namespace airlock::server::overlay {

enum class ChangeKind { added, modified, deleted };
enum class EntryType { file, directory, symlink };

const char* to_string(ChangeKind kind);
const char* to_string(EntryType type);

// A host entry as lstat saw it; absent when there was none.
struct HostEntry {
  dev_t device = 0;
  ino_t inode = 0;
  mode_t mode = 0;  // type and permission bits
  off_t size = 0;
  timespec modified{};
  timespec changed{};

  bool is_directory() const { return S_ISDIR(mode); }
  bool operator==(const HostEntry& other) const;
};

HostEntry host_entry_of(const struct stat& info);

struct LayerChange {
  std::string path;  // relative to the workspace, '/'-separated, valid UTF-8
  ChangeKind kind = ChangeKind::added;
  EntryType type = EntryType::file;  // what the layer holds; for a deletion, what the host held
  mode_t mode = 0;                   // permission bits of the layer's file or folder
  std::optional<HostEntry> host;     // the host's entry at scan time
};

}  // namespace airlock::server::overlay
