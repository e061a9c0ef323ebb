#pragma once

// Reads a workspace file on the host so the mapper can turn a column into UTF-16 units. The path comes from
// the run's output, which the sandboxed program controls, so the file is opened beneath the workspace folder
// only: no "..", no absolute path, no symlink that leads out of the folder, nothing but a regular file.

#include <optional>
#include <string>

namespace airlock::server::diagnostics {

// The file's first bytes (at most a few MiB: enough for any line a diagnostic names), or nullopt when it
// cannot be opened that way (missing, not a regular file, outside the folder, a kernel without openat2).
std::optional<std::string> read_workspace_file(const std::string& workspace_folder, const std::string& relative_path);

}  // namespace airlock::server::diagnostics
