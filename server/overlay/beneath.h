#pragma once

// Reaching entries of the host's workspace or of a run's layer without ever leaving it: every lookup starts at a
// folder descriptor, stays beneath it, follows no symlink (neither one the host has nor one the sandbox made),
// no /proc magic link, and crosses no mount point. A path component that is a symlink fails with ELOOP.

#include <sys/stat.h>

#include <optional>
#include <string>

#include "sandbox/unique_fd.h"

namespace airlock::server::overlay {

using sandbox::UniqueFd;

// flags as for open(2); O_CLOEXEC is added. An empty path is the folder itself. Invalid with errno set on failure.
UniqueFd open_beneath(int folder, const std::string& path, int flags);
// The folder at path beneath folder; throws std::system_error naming `path` when it cannot be opened.
UniqueFd open_folder_beneath(int folder, const std::string& path);

// The target of the symlink at path beneath folder, never followed. Throws std::system_error.
std::string read_symlink_beneath(int folder, const std::string& path);

// lstat of one name (no '/') in folder; nullopt when there is no such entry. Throws std::system_error otherwise.
std::optional<struct stat> stat_entry(int folder, const std::string& name);

struct ParentAndName {
  std::string parent;  // "" for an entry of the top folder
  std::string name;
};
ParentAndName split_path(const std::string& path);
std::string join_path(const std::string& parent, const std::string& name);

// Throws std::system_error with errno and what was being done.
[[noreturn]] void throw_errno(const std::string& what);

}  // namespace airlock::server::overlay
