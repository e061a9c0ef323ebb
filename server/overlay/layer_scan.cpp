#include "server/overlay/layer_scan.h"

#include <fcntl.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "protocol/utf8_chunker.h"
#include "server/overlay/beneath.h"
#include "server/overlay/folder_entries.h"

namespace airlock::server::overlay {
namespace {

constexpr std::size_t kMaxEntries = 100'000;
constexpr int kMaxDepth = 128;
constexpr std::size_t kMaxPathBytes = 4096;
constexpr std::size_t kMaxLeftOutNotes = 20;
constexpr std::size_t kCompareChunk = 64 * 1024;

bool is_whiteout(const struct stat& info) { return S_ISCHR(info.st_mode) && info.st_rdev == makedev(0, 0); }

EntryType type_of(mode_t mode) {
  if (S_ISDIR(mode)) return EntryType::directory;
  if (S_ISLNK(mode)) return EntryType::symlink;
  return EntryType::file;
}

bool is_valid_utf8(const std::string& text) { return protocol::to_valid_utf8(text) == text; }

bool read_full(int fd, char* buffer, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd, buffer + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

// Both files have `size` bytes (their lstat says so); an unreadable host file counts as different.
bool same_content(int layer_folder, int host_folder, const std::string& name, off_t size) {
  const UniqueFd layer = open_beneath(layer_folder, name, O_RDONLY | O_NOFOLLOW);
  if (!layer) throw_errno("opening \"" + name + "\" in the layer");
  const UniqueFd host = open_beneath(host_folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  if (!host) return false;
  std::string ours(kCompareChunk, '\0'), theirs(kCompareChunk, '\0');
  for (off_t left = size; left > 0;) {
    const auto chunk = static_cast<std::size_t>(std::min<off_t>(left, static_cast<off_t>(kCompareChunk)));
    if (!read_full(layer.get(), ours.data(), chunk) || !read_full(host.get(), theirs.data(), chunk)) return false;
    if (ours.compare(0, chunk, theirs, 0, chunk) != 0) return false;
    left -= static_cast<off_t>(chunk);
  }
  return true;
}

bool is_opaque(int folder) {
  char value[2] = {};
  const ssize_t length = ::fgetxattr(folder, "user.overlay.opaque", value, sizeof value);
  return length == 1 && value[0] == 'y';
}

// The layer belongs to the server's user once the run is over; a server that is not root needs the owner's
// permission bits to read what the run made unreadable.
void make_readable(int folder, const std::string& name, const struct stat& info) {
  const mode_t needed = S_ISDIR(info.st_mode) ? S_IRUSR | S_IXUSR : S_IRUSR;
  if (::geteuid() == 0 || (info.st_mode & needed) == needed) return;
  if (::fchmodat(folder, name.c_str(), (info.st_mode & 07777) | needed, 0) != 0) {
    throw_errno("making \"" + name + "\" in the layer readable");
  }
}

class Scanner {
 public:
  explicit Scanner(const std::vector<std::string>& protected_paths) : protected_paths_(protected_paths) {}

  void scan_folder(int upper, int host, const std::string& prefix, bool opaque, int depth) {
    if (depth > kMaxDepth) throw std::length_error("the layer nests folders deeper than " + std::to_string(kMaxDepth));
    const auto names = folder_entries(upper, kMaxEntries - seen_);
    for (const auto& name : names) scan_entry(upper, host, prefix, name, depth);
    if (!opaque || host < 0) return;
    for (const auto& name : folder_entries(host, kMaxEntries - seen_)) {
      const std::string path = join_path(prefix, name);
      if (!std::binary_search(names.begin(), names.end(), name) && admit(path)) record_deletion(host, path, name);
    }
  }

  LayerScan result() && {
    std::sort(scan_.changes.begin(), scan_.changes.end(),
              [](const LayerChange& a, const LayerChange& b) { return a.path < b.path; });
    if (left_out_count_ > kMaxLeftOutNotes) {
      scan_.left_out.push_back("... and " + std::to_string(left_out_count_ - kMaxLeftOutNotes) + " more");
    }
    return std::move(scan_);
  }

 private:
  void scan_entry(int upper, int host, const std::string& prefix, const std::string& name, int depth) {
    const std::string path = join_path(prefix, name);
    if (!admit(path)) return;
    const auto info = stat_entry(upper, name);
    if (!info) return;
    const auto host_info = host >= 0 ? stat_entry(host, name) : std::nullopt;
    const std::optional<HostEntry> host_entry = host_info ? std::optional(host_entry_of(*host_info)) : std::nullopt;
    const bool host_is_folder = host_info && S_ISDIR(host_info->st_mode);
    const mode_t mode = info->st_mode & 07777;
    const ChangeKind kind = host_info ? ChangeKind::modified : ChangeKind::added;

    if (is_whiteout(*info)) {
      if (host_info) record_deletion(host, path, name);
    } else if (S_ISREG(info->st_mode)) {
      make_readable(upper, name, *info);
      const bool unchanged = host_info && S_ISREG(host_info->st_mode) && (host_info->st_mode & 07777) == mode &&
                             host_info->st_size == info->st_size && same_content(upper, host, name, info->st_size);
      if (!unchanged) record(path, kind, EntryType::file, mode, host_entry, host_is_folder);
    } else if (S_ISLNK(info->st_mode)) {
      const std::string target = read_symlink_beneath(upper, name);
      if (!is_valid_utf8(target)) return leave_out(path, "its symlink target is not valid UTF-8");
      const bool unchanged = host_info && S_ISLNK(host_info->st_mode) && read_symlink_beneath(host, name) == target;
      if (!unchanged) record(path, kind, EntryType::symlink, mode, host_entry, host_is_folder);
    } else if (S_ISDIR(info->st_mode)) {
      make_readable(upper, name, *info);
      if (!host_is_folder || (host_info->st_mode & 07777) != mode) {
        if (!record(path, kind, EntryType::directory, mode, host_entry, false)) return;
      }
      const UniqueFd below = open_folder_beneath(upper, name);
      const UniqueFd host_below = host_is_folder ? open_folder_beneath(host, name) : UniqueFd();
      scan_folder(below.get(), host_below.get(), path, is_opaque(below.get()), depth + 1);
    } else {
      leave_out(path, "fifos, sockets and device nodes are not carried over");
    }
  }

  // Counts the entry against the bounds; false when it is left out for its name.
  bool admit(const std::string& path) {
    if (++seen_ > kMaxEntries) throw std::length_error("the layer holds more than " + std::to_string(kMaxEntries) + " entries");
    if (path.size() > kMaxPathBytes) throw std::length_error("the layer holds a path longer than " + std::to_string(kMaxPathBytes) + " bytes");
    if (!is_valid_utf8(path)) {
      leave_out(path, "its name is not valid UTF-8");
      return false;
    }
    if (split_path(path).name.starts_with(kApplyTempPrefix)) {
      std::string why = "names starting with ";
      why.append(kApplyTempPrefix).append(" are Airlock's temporary files");
      leave_out(path, why);
      return false;
    }
    return true;
  }

  void record_deletion(int host, const std::string& path, const std::string& name) {
    const auto host_info = stat_entry(host, name);
    if (!host_info) return;
    record(path, ChangeKind::deleted, type_of(host_info->st_mode), 0, host_entry_of(*host_info),
           S_ISDIR(host_info->st_mode));
  }

  bool record(const std::string& path, ChangeKind kind, EntryType type, mode_t mode, std::optional<HostEntry> host,
              bool removes_host_folder) {
    if (touches_protected_path(path, removes_host_folder, protected_paths_)) {
      leave_out(path, "it is or holds a protected path");
      return false;
    }
    scan_.changes.push_back({.path = path, .kind = kind, .type = type, .mode = mode, .host = host});
    return true;
  }

  void leave_out(const std::string& path, const std::string& why) {
    if (++left_out_count_ <= kMaxLeftOutNotes) scan_.left_out.push_back(protocol::to_valid_utf8(path) + ": " + why);
  }

  const std::vector<std::string>& protected_paths_;
  LayerScan scan_;
  std::size_t seen_ = 0;
  std::size_t left_out_count_ = 0;
};

}  // namespace

bool touches_protected_path(const std::string& path, bool removes_host_folder,
                            const std::vector<std::string>& protected_paths) {
  for (const auto& protected_path : protected_paths) {
    if (path == protected_path || path.starts_with(protected_path + "/")) return true;
    if (removes_host_folder && protected_path.starts_with(path + "/")) return true;
  }
  return false;
}

LayerScan scan_layer(int upper, int workspace, const std::vector<std::string>& protected_paths) {
  Scanner scanner(protected_paths);
  scanner.scan_folder(upper, workspace, "", false, 0);
  return std::move(scanner).result();
}

}  // namespace airlock::server::overlay
