#include "server/overlay/layer_apply.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <set>
#include <stdexcept>
#include <system_error>

#include <spdlog/spdlog.h>

#include "server/overlay/apply_temp_names.h"
#include "server/overlay/beneath.h"
#include "server/overlay/host_tree.h"
#include "server/overlay/layer_scan.h"

namespace airlock::server::overlay {
namespace {

// A change that cannot be applied because the host is no longer as the run saw it.
struct Conflict {};

// A temporary entry in a host folder. Unless it was renamed into place, it is removed: at once by remove_now(),
// which reports a failure, or else when it goes out of scope, where a failure leaves it for the next apply.
class TempEntry {
 public:
  explicit TempEntry(int folder) : folder_(folder), name_(make_apply_temp_name()) {}
  TempEntry(const TempEntry&) = delete;
  TempEntry& operator=(const TempEntry&) = delete;
  ~TempEntry() {
    if (gone_) return;
    try {
      remove_tree(folder_, name_);
    } catch (const std::exception&) {
      // Left for remove_stale_apply_temps.
    }
  }
  const std::string& name() const { return name_; }
  void renamed() { gone_ = true; }
  void remove_now() {
    remove_tree(folder_, name_);
    gone_ = true;
  }

 private:
  int folder_;
  std::string name_;
  bool gone_ = false;
};

struct Owner {
  uid_t uid;
  gid_t gid;
};

class Applier {
 public:
  explicit Applier(const Layer& layer) : layer_(layer) {}

  void apply(const LayerChange& change) {
    try {
      if (touches_protected_path(change.path, removes_host_folder(change), layer_.protected_paths())) {
        throw std::runtime_error("it is or holds a protected path");
      }
      const auto [parent, name] = split_path(change.path);
      const int folder = host_folder(parent);
      const auto now = stat_entry(folder, name);
      if (!unchanged(change, folder, name, now)) throw Conflict{};
      if (change.kind == ChangeKind::deleted) {
        remove(folder, name, *now);
      } else if (change.type == EntryType::directory) {
        make_folder(change, folder, name, now);
      } else {
        TempEntry temp(folder);
        if (change.type == EntryType::file) {
          write_file(change, folder, temp.name(), now);
        } else {
          write_symlink(change, folder, temp.name(), now);
        }
        place(folder, temp, name, now && S_ISDIR(now->st_mode));
      }
      result_.applied.push_back(change.path);
    } catch (const Conflict&) {
      result_.conflicts.push_back(change.path);
    } catch (const std::exception& error) {
      result_.failed.push_back({.path = change.path, .message = error.what()});
    }
  }

  // Leftovers of interrupted applies are removed from every folder an apply uses, and always from the top one.
  void clean_top_folder() {
    try {
      host_folder("");
    } catch (const Conflict&) {
      // The workspace is gone: every change reports it as a conflict.
    }
  }

  protocol::ApplyChangesResult finish() && {
    for (const auto& [path, folder] : folders_) {
      if (::fsync(folder.get()) != 0) {
        result_.failed.push_back({.path = path.empty() ? "." : path, .message = "fsync of the folder failed"});
      }
    }
    return std::move(result_);
  }

 private:
  static bool removes_host_folder(const LayerChange& change) {
    return change.host && change.host->is_directory() && (change.kind == ChangeKind::deleted || change.type != EntryType::directory);
  }

  // The host folder at path, opened once per apply and cleared of leftovers of interrupted applies.
  int host_folder(const std::string& path) {
    if (auto found = folders_.find(path); found != folders_.end()) return found->second.get();
    UniqueFd folder = open_beneath(layer_.workspace(), path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (!folder) {
      if (errno == ENOENT || errno == ENOTDIR) throw Conflict{};
      if (errno == ELOOP) throw std::runtime_error("a folder on its way is a symlink in the workspace");
      if (errno == EXDEV) throw std::runtime_error("a folder on its way is a mount point in the workspace");
      throw_errno("opening the workspace folder \"" + path + "\"");
    }
    try {
      remove_stale_apply_temps(folder.get());
    } catch (const std::exception& error) {
      spdlog::warn("leftovers of an interrupted apply stay in \"{}\": {}", path, error.what());
    }
    return folders_.emplace(path, std::move(folder)).first->second.get();
  }

  bool unchanged(const LayerChange& change, int folder, const std::string& name, const std::optional<struct stat>& now) const {
    if (!change.host) return !now;
    if (!now || !(host_entry_of(*now) == *change.host) || changed_since(now->st_ctim, layer_.started())) return false;
    return !removes_host_folder(change) || tree_unchanged_since(folder, name, layer_.started());
  }

  // A root server gives what it writes the owner of the entry it replaces, or of the folder it lands in; an
  // unprivileged server can only give its own.
  static std::optional<Owner> owner_for(int folder, const std::optional<struct stat>& now) {
    if (::geteuid() != 0) return std::nullopt;
    if (now) return Owner{now->st_uid, now->st_gid};
    struct stat info {};
    if (::fstat(folder, &info) != 0) throw_errno("fstat of the target's folder");
    return Owner{info.st_uid, info.st_gid};
  }

  static void set_owner(int folder, const std::string& name, const std::optional<struct stat>& now) {
    if (const auto owner = owner_for(folder, now)) {
      if (::fchownat(folder, name.c_str(), owner->uid, owner->gid, AT_SYMLINK_NOFOLLOW) != 0) throw_errno("chown of \"" + name + "\"");
    }
  }

  void write_file(const LayerChange& change, int folder, const std::string& temp, const std::optional<struct stat>& now) {
    const UniqueFd source = open_beneath(layer_.upper(), change.path, O_RDONLY | O_NOFOLLOW);
    if (!source) throw_errno("opening the run's version");
    struct stat info {};
    if (::fstat(source.get(), &info) != 0) throw_errno("fstat of the run's version");
    if (!S_ISREG(info.st_mode)) throw std::runtime_error("the run's version is no longer a regular file");
    const UniqueFd target(::openat(folder, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!target) throw_errno("creating " + temp);
    for (off_t left = info.st_size; left > 0;) {
      const ssize_t sent = ::sendfile(target.get(), source.get(), nullptr, static_cast<std::size_t>(left));
      if (sent < 0 && errno == EINTR) continue;
      if (sent <= 0) throw_errno("copying the run's version");
      left -= sent;
    }
    if (::fchmod(target.get(), change.mode & 0777) != 0) throw_errno("chmod of " + temp);
    set_owner(folder, temp, now);
    if (::fsync(target.get()) != 0) throw_errno("fsync of " + temp);
  }

  void write_symlink(const LayerChange& change, int folder, const std::string& temp, const std::optional<struct stat>& now) {
    const std::string target = read_symlink_beneath(layer_.upper(), change.path);
    if (::symlinkat(target.c_str(), folder, temp.c_str()) != 0) {
      throw_errno("creating the symlink " + temp);
    }
    set_owner(folder, temp, now);
  }

  // Puts a new entry in place of name at once. A folder it replaces is swapped out whole first, then removed.
  static void place(int folder, TempEntry& temp, const std::string& name, bool replaces_folder) {
    if (!replaces_folder) {
      if (::renameat(folder, temp.name().c_str(), folder, name.c_str()) != 0) throw_errno("renaming into place");
      temp.renamed();
      return;
    }
    if (::renameat2(folder, temp.name().c_str(), folder, name.c_str(), RENAME_EXCHANGE) != 0) {
      throw_errno("exchanging the folder it replaces");
    }
    temp.remove_now();  // it names the replaced folder now
  }

  void make_folder(const LayerChange& change, int folder, const std::string& name, const std::optional<struct stat>& now) {
    const mode_t mode = change.mode & 0777;
    if (now && S_ISDIR(now->st_mode)) {
      const UniqueFd existing = open_beneath(folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      if (!existing) throw_errno("opening the folder");
      if (::fchmod(existing.get(), mode) != 0) throw_errno("chmod of the folder");
      return;
    }
    if (!now) {
      if (::mkdirat(folder, name.c_str(), 0700) != 0) throw_errno("creating the folder");
      set_owner(folder, name, now);
      if (::fchmodat(folder, name.c_str(), mode, 0) != 0) throw_errno("chmod of the folder");
      return;
    }
    TempEntry temp(folder);
    if (::mkdirat(folder, temp.name().c_str(), 0700) != 0) throw_errno("creating the folder " + temp.name());
    set_owner(folder, temp.name(), now);
    if (::fchmodat(folder, temp.name().c_str(), mode, 0) != 0) throw_errno("chmod of " + temp.name());
    if (::renameat2(folder, temp.name().c_str(), folder, name.c_str(), RENAME_EXCHANGE) != 0) {
      throw_errno("exchanging the entry it replaces");
    }
    temp.remove_now();  // it names the replaced entry now
  }

  // A folder is renamed away first, so it vanishes at once, then removed.
  static void remove(int folder, const std::string& name, const struct stat& now) {
    if (!S_ISDIR(now.st_mode)) {
      if (::unlinkat(folder, name.c_str(), 0) != 0) throw_errno("removing the entry");
      return;
    }
    TempEntry temp(folder);
    if (::renameat(folder, name.c_str(), folder, temp.name().c_str()) != 0) throw_errno("moving the folder aside");
    temp.remove_now();
  }

  const Layer& layer_;
  protocol::ApplyChangesResult result_;
  std::map<std::string, UniqueFd> folders_;
};

// The chosen changes and the pending folder changes above them, sorted by path (a folder before its entries).
std::vector<const LayerChange*> with_needed_folders(const Layer& layer, const std::vector<std::string>& paths) {
  std::set<std::string> chosen;
  for (const auto& path : paths) {
    chosen.insert(path);
    for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
      const LayerChange* above = layer.find(path.substr(0, slash));
      if (above && above->kind != ChangeKind::deleted && above->type == EntryType::directory) chosen.insert(above->path);
    }
  }
  std::vector<const LayerChange*> selected;
  for (const auto& path : chosen) {
    if (const LayerChange* change = layer.find(path)) selected.push_back(change);
  }
  return selected;
}

}  // namespace

protocol::ApplyChangesResult apply_changes(const Layer& layer, const std::vector<std::string>& paths) {
  Applier applier(layer);
  applier.clean_top_folder();
  for (const LayerChange* change : with_needed_folders(layer, paths)) applier.apply(*change);
  return std::move(applier).finish();
}

}  // namespace airlock::server::overlay
