#pragma once

// A run's own folder under the user's temporary folder: the snippet, build outputs and home of one process-isolated
// run (run_folder_layout.h says what goes where). Created empty for the run, removed with everything in it when the
// run's owner drops it.

#include <string>

#include "sandbox/windows/run_folder_layout.h"
#include "sandbox/windows/windows_path.h"

namespace airlock::sandbox::windows {

class RunFolder {
 public:
  // Throws WindowsError when the folder cannot be created.
  static RunFolder create();
  RunFolder(RunFolder&& other) noexcept;
  RunFolder& operator=(RunFolder&&) = delete;
  RunFolder(const RunFolder&) = delete;
  RunFolder& operator=(const RunFolder&) = delete;
  ~RunFolder();

  const WindowsPath& path() const { return path_; }
  // Creates the plan's folders and files; throws WindowsError naming the one that failed.
  void fill(const RunFolderPlan& plan) const;

 private:
  explicit RunFolder(WindowsPath path) : path_(std::move(path)) {}

  WindowsPath path_;
  bool owned_ = true;
};

}  // namespace airlock::sandbox::windows
