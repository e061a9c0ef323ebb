#pragma once

// The folder a VM's workspace share points at, fixed when QEMU starts: an empty folder of the host's temporary
// directory (airlock-vm-staging-<server pid>-XXXXXX) holding one empty subfolder, onto which a run's workspace is mounted later, in QEMU's own mount
// namespace only (workspace_attach.h). On the host it stays empty; QEMU sees it read-only, so the guest can
// write nowhere but into the workspace that a run mounts there.

#include <filesystem>

#include "sandbox/vm/agent_protocol.h"

namespace airlock::sandbox::vm {

class StagingFolder {
 public:
  // Throws SandboxUnavailable naming the call and the folder.
  static StagingFolder create();
  StagingFolder(StagingFolder&& other) noexcept : root_(std::exchange(other.root_, {})) {}
  StagingFolder& operator=(StagingFolder&&) = delete;
  StagingFolder(const StagingFolder&) = delete;
  ~StagingFolder();

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path workspace_mount_point() const { return root_ / kStagedWorkspaceFolder; }

 private:
  explicit StagingFolder(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;
};

}  // namespace airlock::sandbox::vm
