#include "server/diagnostics/workspace_file.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/unique_fd.h"

namespace airlock::server::diagnostics {
namespace {

constexpr std::size_t kMaxFileBytes = 8 * 1024 * 1024;

sandbox::UniqueFd open_beneath(int folder_fd, const std::string& relative_path) {
  open_how how{};
  // O_NONBLOCK: a FIFO planted in the workspace must not block the server; it is then refused as not regular.
  how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  long fd;
  do {
    fd = ::syscall(SYS_openat2, folder_fd, relative_path.c_str(), &how, sizeof how);
  } while (fd < 0 && errno == EINTR);
  return sandbox::UniqueFd(static_cast<int>(fd));
}

}  // namespace

std::optional<std::string> read_workspace_file(const std::string& workspace_folder, const std::string& relative_path) {
  if (relative_path.empty() || relative_path.front() == '/') return std::nullopt;
  sandbox::UniqueFd folder(::open(workspace_folder.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!folder) return std::nullopt;
  sandbox::UniqueFd file = open_beneath(folder.get(), relative_path);
  struct stat status {};
  if (!file || ::fstat(file.get(), &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;

  std::string content;
  char buffer[64 * 1024];
  while (content.size() < kMaxFileBytes) {
    ssize_t count = ::read(file.get(), buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) return std::nullopt;
    if (count == 0) break;
    content.append(buffer, static_cast<std::size_t>(std::min<std::size_t>(count, kMaxFileBytes - content.size())));
  }
  return content;
}

}  // namespace airlock::server::diagnostics
