#include "server/overlay/folder_entries.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <system_error>

#include "server/overlay/beneath.h"

namespace airlock::server::overlay {
namespace {

struct CloseFolder {
  void operator()(DIR* stream) const { ::closedir(stream); }
};

}  // namespace

std::vector<std::string> folder_entries(int folder, std::size_t max_entries) {
  // A descriptor of its own: the stream's reading position must not move the caller's.
  const int own = ::openat(folder, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (own < 0) throw_errno("opening a folder to list it");
  std::unique_ptr<DIR, CloseFolder> stream(::fdopendir(own));
  if (!stream) {
    const int error = errno;
    ::close(own);
    throw std::system_error(error, std::generic_category(), "fdopendir");
  }
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(stream.get());
    if (entry == nullptr) {
      if (errno != 0) throw_errno("readdir");
      break;
    }
    if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) continue;
    if (names.size() == max_entries) {
      throw std::length_error("a folder holds more than " + std::to_string(max_entries) + " entries");
    }
    names.emplace_back(entry->d_name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace airlock::server::overlay
