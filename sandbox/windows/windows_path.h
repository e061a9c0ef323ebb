#pragma once

// Absolute Windows paths as the editor and the user see them (C:\src\app, \\server\share\app), parsed once into
// parts so that the backends can write each form Windows needs: the plain form, the \\?\ form that lifts the
// 260-character limit, the file URI the editor speaks, and the path a Linux guest sees under Hyper-V.
// Pure string work: it builds on Linux too, and never asks the file system.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::sandbox::windows {

class WindowsPath {
 public:
  // Accepts C:\a, C:/a, \\server\share\a, //server/share/a, \\?\C:\a and \\?\UNC\server\share\a. Refuses relative
  // and drive-relative paths, device paths (\\.\), "." and ".." components, alternate data streams (a ':' in a
  // component), names Windows would silently change (trailing dot or space) and characters Windows forbids.
  static std::optional<WindowsPath> parse(std::string_view text);
  // file:///C:/a, file:///c%3A/a (VS Code's form), file://server/share/a.
  static std::optional<WindowsPath> from_file_uri(std::string_view uri);

  bool is_unc() const { return !server_.empty(); }
  char drive() const { return drive_; }  // upper case; 0 for UNC paths
  const std::vector<std::string>& components() const { return components_; }

  std::string str() const;            // C:\a\b or \\server\share\a
  std::string extended() const;       // \\?\C:\a\b or \\?\UNC\server\share\a
  std::string file_uri() const;       // file:///C:/a%20b or file://server/share/a
  // Where a Linux guest mounts this folder: /mnt/c/a/b (WSL's convention, familiar to users), or
  // /mnt/unc/server/share/a.
  std::string guest_path() const;

  // Case-insensitive, as NTFS folders are by default: whether other is this folder or inside it.
  bool contains(const WindowsPath& other) const;
  WindowsPath child(std::string_view relative) const;  // relative uses / or \; throws std::invalid_argument

 private:
  char drive_ = 0;
  std::string server_;
  std::string share_;
  std::vector<std::string> components_;
};

// Maps a path printed inside the guest back to the host, for output and diagnostics: only paths at or under the
// workspace's guest path map; anything else (or a ".." that climbs out) gives nullopt.
std::optional<std::string> host_path_from_guest(std::string_view guest_path, const WindowsPath& workspace);

}  // namespace airlock::sandbox::windows
