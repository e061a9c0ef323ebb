#include "server/overlay/beneath.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <system_error>

namespace airlock::server::overlay {

UniqueFd open_beneath(int folder, const std::string& path, int flags) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
  const char* relative = path.empty() ? "." : path.c_str();
  long fd;
  do {
    fd = ::syscall(SYS_openat2, folder, relative, &how, sizeof how);
  } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
  return UniqueFd(static_cast<int>(fd));
}

UniqueFd open_folder_beneath(int folder, const std::string& path) {
  UniqueFd opened = open_beneath(folder, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  if (!opened) throw_errno("opening the folder \"" + path + "\"");
  return opened;
}

std::string read_symlink_beneath(int folder, const std::string& path) {
  const UniqueFd link = open_beneath(folder, path, O_PATH | O_NOFOLLOW);
  if (!link) throw_errno("opening the symlink \"" + path + "\"");
  std::array<char, PATH_MAX + 1> target{};
  const ssize_t length = ::readlinkat(link.get(), "", target.data(), target.size());
  if (length < 0) throw_errno("reading the symlink \"" + path + "\"");
  if (static_cast<std::size_t>(length) == target.size()) {
    throw std::system_error(ENAMETOOLONG, std::generic_category(), "reading the symlink \"" + path + "\"");
  }
  return std::string(target.data(), static_cast<std::size_t>(length));
}

std::optional<struct stat> stat_entry(int folder, const std::string& name) {
  struct stat info {};
  if (::fstatat(folder, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0) return info;
  if (errno == ENOENT) return std::nullopt;
  throw_errno("lstat of \"" + name + "\"");
}

ParentAndName split_path(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return {"", path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

std::string join_path(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "/" + name;
}

void throw_errno(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace airlock::server::overlay
