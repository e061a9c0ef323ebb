#include "sandbox/vm/layer_writer.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sandbox/linux/kernel_calls.h"

namespace airlock::sandbox::vm {
namespace {

constexpr std::uint64_t kBeneath = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;

std::string failed(const char* call, const std::string& path) {
  return std::string(call) + " " + path + " in the layer failed: " + std::strerror(errno);
}

}  // namespace

std::optional<std::string> LayerWriter::add(const LayerEntry& entry) {
  current_file_.reset();
  if (full_) return std::nullopt;
  const std::size_t slash = entry.path.rfind('/');
  const std::string parent_path = slash == std::string::npos ? "." : entry.path.substr(0, slash);
  const std::string name = slash == std::string::npos ? entry.path : entry.path.substr(slash + 1);
  UniqueFd parent(linux_backend::openat2_path(folder_, parent_path.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC, kBeneath));
  if (!parent) return failed("opening the folder of", entry.path);

  int result = 0;
  switch (entry.kind) {
    case LayerEntry::Kind::directory:
      result = ::mkdirat(parent.get(), name.c_str(), entry.mode & 07777);
      if (result == 0 && entry.opaque) {
        UniqueFd folder(::openat(parent.get(), name.c_str(), O_DIRECTORY | O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!folder || ::fsetxattr(folder.get(), "user.overlay.opaque", "y", 1, 0) != 0) result = -1;
      }
      break;
    case LayerEntry::Kind::file:
      current_file_.reset(::openat(parent.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, entry.mode & 07777));
      result = current_file_ ? 0 : -1;
      break;
    case LayerEntry::Kind::symlink:
      result = ::symlinkat(entry.target.c_str(), parent.get(), name.c_str());
      break;
    case LayerEntry::Kind::whiteout:
      result = ::mknodat(parent.get(), name.c_str(), S_IFCHR | 0000, makedev(0, 0));
      break;
  }
  if (result != 0 && errno == ENOSPC) {
    full_ = true;
    return std::nullopt;
  }
  if (result != 0) return failed("creating", entry.path);
  // The mode given at creation passes through the umask; the layer must say exactly what the guest had.
  if (entry.kind == LayerEntry::Kind::directory && ::fchmodat(parent.get(), name.c_str(), entry.mode & 07777, 0) != 0)
    return failed("chmod", entry.path);
  if (entry.kind == LayerEntry::Kind::file && ::fchmod(current_file_.get(), entry.mode & 07777) != 0) return failed("chmod", entry.path);
  return std::nullopt;
}

std::optional<std::string> LayerWriter::append(std::string_view bytes) {
  if (full_) return std::nullopt;
  if (!current_file_) return std::string("file data without a file entry before it");
  while (!bytes.empty()) {
    const ssize_t n = ::write(current_file_.get(), bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == ENOSPC || errno == EFBIG)) {
      full_ = true;
      current_file_.reset();
      return std::nullopt;
    }
    if (n < 0) return std::string("writing a file in the layer failed: ") + std::strerror(errno);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return std::nullopt;
}

}  // namespace airlock::sandbox::vm
