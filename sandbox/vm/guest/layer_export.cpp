#include "sandbox/vm/guest/layer_export.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sandbox/vm/guest/guest_error.h"

namespace airlock::sandbox::vm::guest {
namespace {

std::vector<std::string> folder_names(int folder) {
  UniqueFd copy(::openat(folder, ".", O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (!copy) fail_call("openat", "listing the overlay layer");
  DIR* listing = ::fdopendir(copy.release());
  if (listing == nullptr) fail_call("fdopendir", "listing the overlay layer");
  std::vector<std::string> names;
  while (dirent* entry = ::readdir(listing)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(listing);
  std::sort(names.begin(), names.end());
  return names;
}

// Guest overlayfs, mounted by root on a tmpfs upper folder, marks opaque folders with trusted.* xattrs.
bool is_opaque(int folder) {
  char value[2] = {};
  const ssize_t n = ::fgetxattr(folder, "trusted.overlay.opaque", value, sizeof value);
  return n == 1 && value[0] == 'y';
}

void send_file(AgentPort& port, int folder, const std::string& name, const std::string& path, mode_t mode) {
  UniqueFd file(::openat(folder, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!file) fail_call("openat", "reading " + path + " from the overlay layer");
  port.send(MessageType::layer_entry, encode_layer_entry({.kind = LayerEntry::Kind::file, .path = path, .mode = mode & 07777}));
  std::string chunk(kMaxStreamPayload, '\0');
  while (true) {
    const ssize_t n = ::read(file.get(), chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_call("read", "reading " + path + " from the overlay layer");
    if (n == 0) return;
    port.send(MessageType::layer_data, std::string_view(chunk.data(), static_cast<std::size_t>(n)));
  }
}

void export_folder(AgentPort& port, int folder, const std::string& prefix) {
  for (const auto& name : folder_names(folder)) {
    const std::string path = prefix.empty() ? name : prefix + "/" + name;
    struct stat info{};
    if (::fstatat(folder, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) fail_call("fstatat", "reading " + path + " in the overlay layer");
    if (S_ISDIR(info.st_mode)) {
      UniqueFd child(::openat(folder, name.c_str(), O_DIRECTORY | O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
      if (!child) fail_call("openat", "opening " + path + " in the overlay layer");
      port.send(MessageType::layer_entry, encode_layer_entry({.kind = LayerEntry::Kind::directory, .path = path,
                                                              .mode = info.st_mode & 07777, .opaque = is_opaque(child.get())}));
      export_folder(port, child.get(), path);
    } else if (S_ISREG(info.st_mode)) {
      send_file(port, folder, name, path, info.st_mode);
    } else if (S_ISLNK(info.st_mode)) {
      std::string target(kMaxLayerPath + 1, '\0');
      const ssize_t n = ::readlinkat(folder, name.c_str(), target.data(), target.size());
      if (n < 0) fail_call("readlinkat", "reading " + path + " in the overlay layer");
      if (static_cast<std::size_t>(n) > kMaxLayerPath) throw GuestError("guest agent: the symlink " + path + " is too long to send");
      target.resize(static_cast<std::size_t>(n));
      port.send(MessageType::layer_entry, encode_layer_entry({.kind = LayerEntry::Kind::symlink, .path = path, .target = target}));
    } else if (S_ISCHR(info.st_mode) && info.st_rdev == makedev(0, 0)) {
      port.send(MessageType::layer_entry, encode_layer_entry({.kind = LayerEntry::Kind::whiteout, .path = path}));
    }
  }
}

}  // namespace

void export_layer(AgentPort& port, int upper_folder) { export_folder(port, upper_folder, ""); }

}  // namespace airlock::sandbox::vm::guest
