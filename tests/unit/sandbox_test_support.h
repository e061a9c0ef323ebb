#pragma once

// Helpers for the Linux backend tests: real workspaces in a temp folder, running a spec to its end while
// draining stdout and stderr, and finding the sandbox's processes from outside by a unique word in their
// command line (pid numbers inside the sandbox mean nothing outside it).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sandbox/backend.h"

namespace airlock::sandbox::testing {

// The owner given to workspaces when the tests run as root, so the sandbox runs as this uid (see
// sandbox_identity.h); any non-root uid works, it need not exist.
inline constexpr uid_t kWorkspaceOwnerWhenRoot = 4242;
inline constexpr gid_t kWorkspaceGroupWhenRoot = 4242;

class TempWorkspace {
 public:
  TempWorkspace();
  ~TempWorkspace();
  TempWorkspace(const TempWorkspace&) = delete;
  TempWorkspace& operator=(const TempWorkspace&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Creates a file (and its folders) owned like the workspace.
  void write(const std::string& relative, const std::string& content) const;
  void make_dir(const std::string& relative) const;
  std::string read(const std::string& relative) const;
  bool exists(const std::string& relative) const;
  // The uid the sandbox runs as for this workspace.
  uid_t sandbox_uid() const;

 private:
  void give_to_owner(const std::filesystem::path& path) const;
  std::filesystem::path path_;
};

struct RunOutput {
  std::string out;
  std::string err;
  ExitStatus status;
};

LaunchSpec spec_in(const TempWorkspace& workspace, std::vector<std::vector<std::string>> steps);
LaunchSpec shell_spec(const TempWorkspace& workspace, const std::string& script);

// Writes input to stdin and closes it, drains both outputs to end of file, then waits on wait_fd() until
// poll() gives the status.
RunOutput run_to_end(Process& process, const std::string& input = "");
RunOutput run_to_end(const LaunchSpec& spec, const std::string& input = "");

// The report of the protection with this name; throws std::runtime_error when the probe has none.
ProtectionReport protection_named(const std::vector<ProtectionReport>& reports, const std::string& name);

std::string unique_token();
std::vector<pid_t> processes_with_token(const std::string& token);
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);
int open_fd_count();

}  // namespace airlock::sandbox::testing
