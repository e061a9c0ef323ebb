#include "sandbox/protected_placeholders.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <utility>

#include "sandbox/unique_fd.h"

namespace airlock::sandbox {
namespace {

// The run may have replaced any folder of the workspace with a symlink: resolve strictly beneath it.
UniqueFd open_beneath(int root, const std::string& path, int flags) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  return UniqueFd(static_cast<int>(::syscall(SYS_openat2, root, path.c_str(), &how, sizeof how)));
}

}  // namespace

ProtectedPlaceholders::ProtectedPlaceholders(const Policy& policy) {
  if (policy.workspace_mode != WorkspaceMode::readwrite) return;
  workspace_ = policy.workspace.string();
  UniqueFd root(::open(workspace_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return;
  for (const auto& path : policy.protected_paths) {
    struct stat info {};
    if (::fstatat(root.get(), path.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT) missing_.push_back(path);
  }
}

ProtectedPlaceholders::ProtectedPlaceholders(ProtectedPlaceholders&& other) noexcept
    : workspace_(std::move(other.workspace_)), missing_(std::exchange(other.missing_, {})) {}

ProtectedPlaceholders& ProtectedPlaceholders::operator=(ProtectedPlaceholders&& other) noexcept {
  if (this != &other) {
    remove();
    workspace_ = std::move(other.workspace_);
    missing_ = std::exchange(other.missing_, {});
  }
  return *this;
}

void ProtectedPlaceholders::remove() {
  if (missing_.empty()) return;
  UniqueFd root(::open(workspace_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  for (const auto& path : std::exchange(missing_, {})) {
    if (!root) break;
    const auto slash = path.rfind('/');
    UniqueFd parent = slash == std::string::npos ? UniqueFd(::fcntl(root.get(), F_DUPFD_CLOEXEC, 0))
                                                 : open_beneath(root.get(), path.substr(0, slash), O_PATH | O_DIRECTORY);
    // rmdir only succeeds on an empty folder: anything someone put there stays.
    if (parent) ::unlinkat(parent.get(), path.substr(slash == std::string::npos ? 0 : slash + 1).c_str(), AT_REMOVEDIR);
  }
}

}  // namespace airlock::sandbox
