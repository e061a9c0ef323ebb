// Reading the mount table for the mounts below a workspace, which an overlay cannot cover.

#include <doctest/doctest.h>

#include "sandbox/linux/mount_table.h"

namespace airlock::sandbox::testing {

TEST_CASE("mount table: the mount points strictly below a folder, with mountinfo's escapes undone") {
  const std::string mountinfo =
      "22 1 0:21 / / rw,relatime shared:1 - overlay overlay rw\n"
      "30 22 0:25 / /home/user/project rw shared:2 - ext4 /dev/sda1 rw\n"
      "31 30 0:26 / /home/user/project/node_modules rw - tmpfs tmpfs rw\n"
      "32 30 0:27 / /home/user/project/my\\040data rw - tmpfs tmpfs rw\n"
      "33 22 0:28 / /home/user/project-old rw - tmpfs tmpfs rw\n"
      "malformed\n";
  CHECK(linux_backend::mount_points_below("/home/user/project", mountinfo) ==
        std::vector<std::string>{"/home/user/project/node_modules", "/home/user/project/my data"});
  CHECK(linux_backend::mount_points_below("/home/user/project/node_modules", mountinfo).empty());
  CHECK(linux_backend::mount_points_below("/", mountinfo).size() == 4);
}

}  // namespace airlock::sandbox::testing
