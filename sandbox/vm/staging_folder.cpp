#include "sandbox/vm/staging_folder.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>

#include "sandbox/backend.h"

namespace airlock::sandbox::vm {

namespace {

namespace fs = std::filesystem;

// The creating server's pid is in the name, so a later server can tell a killed one's folders from live ones.
constexpr std::string_view kPrefix = "airlock-vm-staging-";

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

// A killed server cannot remove its staging folders. They are empty (nothing is ever mounted on the host's side)
// and its VMs died with it, so once no process has its pid, the folders are removed here.
void remove_folders_of_dead_servers(const fs::path& base) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(base, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(kPrefix)) continue;
    const std::string rest = name.substr(kPrefix.size());
    const auto dash = rest.find('-');
    pid_t pid = 0;
    const auto [end, parsed] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
    if (parsed != std::errc() || end != rest.data() + dash || pid <= 0 || process_exists(pid)) continue;
    ::rmdir((entry.path() / kStagedWorkspaceFolder).c_str());
    ::rmdir(entry.path().c_str());
  }
}

}  // namespace

StagingFolder StagingFolder::create() {
  std::error_code error;
  const fs::path base = fs::temp_directory_path(error);
  if (error)
    throw SandboxUnavailable("creating a VM's staging folder: no temporary directory (" + error.message() +
                             "). Fix: set TMPDIR to a writable folder");
  static std::once_flag swept;
  std::call_once(swept, [&] { remove_folders_of_dead_servers(base); });
  std::string pattern = (base / (std::string(kPrefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw SandboxUnavailable("creating a VM's staging folder: mkdtemp " + pattern + " failed: " + std::strerror(errno) +
                             ". Fix: make TMPDIR (or /tmp) writable for the server's user");
  StagingFolder folder{fs::path(pattern)};
  if (::mkdir(folder.workspace_mount_point().c_str(), 0700) != 0)
    throw SandboxUnavailable("creating a VM's staging folder: mkdir " + folder.workspace_mount_point().string() +
                             " failed: " + std::strerror(errno));
  return folder;
}

StagingFolder::~StagingFolder() {
  if (root_.empty()) return;
  // Both are empty on the host: the workspace was only ever mounted in QEMU's own mount namespace.
  ::rmdir(workspace_mount_point().c_str());
  ::rmdir(root_.c_str());
}

}  // namespace airlock::sandbox::vm
