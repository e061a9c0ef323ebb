#pragma once

// The host's mount table as this process sees it (/proc/self/mountinfo).

#include <filesystem>
#include <string>
#include <vector>

namespace airlock::sandbox::linux_backend {

// The mount points strictly below `folder` (an absolute, normalized path), in the order the table lists them.
std::vector<std::string> mount_points_below(const std::filesystem::path& folder);

// The same, from the text of a mountinfo file.
std::vector<std::string> mount_points_below(const std::filesystem::path& folder, const std::string& mountinfo);

}  // namespace airlock::sandbox::linux_backend
