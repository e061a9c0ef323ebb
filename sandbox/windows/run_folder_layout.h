#pragma once

// Where a run's sandbox-side folders are on Windows. The run plan names them as the Linux sandbox sees them
// (kSandboxFilesDir for snippets, kSandboxBuildDir for build outputs, kSandboxHome); an AppContainer sees the host's
// file system, so each becomes a subfolder of the run's own folder, granted to the run alone and removed with it.

#include <string>
#include <utility>
#include <vector>

#include "sandbox/policy.h"
#include "sandbox/windows/windows_path.h"

namespace airlock::sandbox::windows {

struct RunFolderFile {
  WindowsPath path;
  std::string content;
};

// A LaunchSpec in the run folder's terms: every argument and environment value that is one of the sandbox folders,
// or a path under one, names the run folder's counterpart instead.
struct RunFolderPlan {
  std::vector<WindowsPath> folders;  // to create before the first step, parents first
  std::vector<RunFolderFile> files;
  std::vector<std::vector<std::string>> steps;
  std::vector<std::pair<std::string, std::string>> env;
  WindowsPath cwd;
};

// Throws std::invalid_argument for a cwd that is not an absolute Windows path or a file outside the sandbox folders.
RunFolderPlan plan_run_folder(const LaunchSpec& spec, const WindowsPath& run_folder);

}  // namespace airlock::sandbox::windows
