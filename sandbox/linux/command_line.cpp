#include "sandbox/linux/command_line.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "sandbox/linux/retrying_read.h"

namespace airlock::sandbox::linux_backend {
namespace {

// Fields of /proc/<pid>/stat (proc(5)), counted from 1; the command name, field 2, may hold spaces and
// parentheses, so counting starts after its closing parenthesis, at field 3.
constexpr int kArgStartField = 48;
constexpr int kArgEndField = 49;
constexpr int kFirstFieldAfterName = 3;

// The address range of the command line's strings, from the kernel's record of this process.
bool command_line_range(std::uintptr_t& start, std::uintptr_t& end) {
  char stat[2048];
  const int fd = ::open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const ssize_t got = read_retrying(fd, stat, sizeof stat - 1);
  ::close(fd);
  if (got <= 0) return false;
  stat[got] = '\0';
  const char* field = std::strrchr(stat, ')');
  if (field == nullptr) return false;
  for (int number = kFirstFieldAfterName; number <= kArgEndField; ++number) {
    field = std::strchr(field, ' ');
    if (field == nullptr) return false;
    ++field;
    if (number < kArgStartField) continue;
    std::uintptr_t value = 0;
    for (; *field >= '0' && *field <= '9'; ++field) value = value * 10 + static_cast<std::uintptr_t>(*field - '0');
    (number == kArgStartField ? start : end) = value;
  }
  return start != 0 && end > start;
}

}  // namespace

bool replace_own_command_line(std::string_view title) {
  std::uintptr_t start = 0, end = 0;
  if (!command_line_range(start, end)) return false;
  char* area = reinterpret_cast<char*>(start);
  const std::size_t size = end - start;
  if (size < 2) return false;
  std::memset(area, 0, size);
  std::memcpy(area, title.data(), std::min(title.size(), size - 2));
  // A last byte that is not NUL tells the kernel the title was set in place (as by setproctitle(3)): it then shows
  // the title up to its NUL, not the whole zeroed area.
  area[size - 1] = ' ';
  return true;
}

}  // namespace airlock::sandbox::linux_backend
