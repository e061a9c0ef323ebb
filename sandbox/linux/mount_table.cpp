#include "sandbox/linux/mount_table.h"

#include <fstream>
#include <sstream>

namespace airlock::sandbox::linux_backend {
namespace {

bool is_octal(char c) { return c >= '0' && c <= '7'; }

// mountinfo writes a space, tab, newline and backslash in a path as \040, \011, \012 and \134.
std::string unescape(const std::string& field) {
  std::string path;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && is_octal(field[i + 1]) && is_octal(field[i + 2]) &&
        is_octal(field[i + 3])) {
      path += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0'));
      i += 3;
    } else {
      path += field[i];
    }
  }
  return path;
}

}  // namespace

std::vector<std::string> mount_points_below(const std::filesystem::path& folder, const std::string& mountinfo) {
  const std::string prefix = folder.string() == "/" ? "/" : folder.string() + "/";
  std::vector<std::string> found;
  std::istringstream lines(mountinfo);
  std::string line;
  while (std::getline(lines, line)) {
    // Fields: mount id, parent id, major:minor, root, mount point, ...
    std::istringstream fields(line);
    std::string skipped, mount_point;
    if (!(fields >> skipped >> skipped >> skipped >> skipped >> mount_point)) continue;
    std::string path = unescape(mount_point);
    if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0) found.push_back(std::move(path));
  }
  return found;
}

std::vector<std::string> mount_points_below(const std::filesystem::path& folder) {
  std::ifstream file("/proc/self/mountinfo");
  std::stringstream text;
  text << file.rdbuf();
  return mount_points_below(folder, text.str());
}

}  // namespace airlock::sandbox::linux_backend
