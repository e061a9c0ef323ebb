#include "server/overlay/changed_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "protocol/utf8_chunker.h"
#include "server/overlay/base64.h"
#include "server/overlay/beneath.h"

namespace airlock::server::overlay {
namespace {

std::string read_content(int file, off_t size) {
  std::string content(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t got = ::read(file, content.data() + done, content.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw_errno("reading the run's version");
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  content.resize(done);
  return content;
}

}  // namespace

protocol::ReadChangedFileResult read_changed_file(const Layer& layer, const LayerChange& change) {
  protocol::ReadChangedFileResult result{.path = change.path, .kind = to_string(change.kind)};
  if (change.kind == ChangeKind::deleted) return result;
  result.type = to_string(change.type);
  if (change.type == EntryType::symlink) {
    result.target = read_symlink_beneath(layer.upper(), change.path);
    return result;
  }
  result.mode = change.mode;
  if (change.type == EntryType::directory) return result;
  const UniqueFd entry = open_beneath(layer.upper(), change.path, O_RDONLY | O_NOFOLLOW);
  if (!entry) throw_errno("opening the run's version of " + change.path);
  struct stat info {};
  if (::fstat(entry.get(), &info) != 0) throw_errno("fstat of the run's version");
  if (!S_ISREG(info.st_mode)) throw std::runtime_error("the run's version of " + change.path + " is not a regular file");
  if (info.st_size > kMaxChangedFileBytes) {
    throw std::length_error(change.path + " has " + std::to_string(info.st_size) + " bytes; at most " +
                            std::to_string(kMaxChangedFileBytes) + " are returned");
  }
  std::string content = read_content(entry.get(), info.st_size);
  if (protocol::to_valid_utf8(content) != content) {
    result.encoding = "base64";
    content = base64_encode(content);
  }
  result.content = std::move(content);
  return result;
}

}  // namespace airlock::server::overlay
