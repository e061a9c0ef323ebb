#pragma once

// What a run may see and use, independent of the platform that enforces it. The server turns a request
// into a LaunchSpec; a backend turns a LaunchSpec into a sandbox.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace airlock::sandbox {

enum class WorkspaceMode { readonly, overlay, readwrite };
enum class Network { none, host };
enum class Isolation { process, vm };

const char* to_string(WorkspaceMode mode);
const char* to_string(Network network);
const char* to_string(Isolation isolation);

// Every limit is finite. Sizes in bytes, times in milliseconds unless the name says otherwise.
struct Limits {
  std::int64_t timeout_ms = 60'000;
  std::int64_t memory_bytes = 1024ll << 20;
  std::int64_t max_processes = 256;
  std::int64_t output_bytes = 16ll << 20;
  std::int64_t disk_bytes = 256ll << 20;
  std::int64_t cpu_seconds = 60;
  std::int64_t open_files = 1024;
  std::int64_t file_size_bytes = 256ll << 20;
  // VM isolation only: the VM's virtual CPUs (process isolation does not apply it).
  std::int64_t vcpus = 1;
};

struct Policy {
  Isolation isolation = Isolation::process;
  // Absolute, canonical host path of the workspace; it appears at the same path inside the sandbox.
  std::filesystem::path workspace;
  WorkspaceMode workspace_mode = WorkspaceMode::readonly;
  Network network = Network::none;
  // Relative to the workspace; stay read-only in every mode.
  std::vector<std::string> protected_paths = {".git", ".vscode", ".idea", ".airlock"};
  Limits limits;
};

// A file the backend creates inside the sandbox before the first step runs (e.g. a snippet).
struct FileToCreate {
  std::string path;  // absolute path inside the sandbox, under kSandboxFilesDir
  std::string content;
  mode_t mode = 0644;
};

// Read-only folder inside the sandbox that holds FileToCreate entries (snippets); never in the workspace.
inline constexpr const char* kSandboxFilesDir = "/airlock";
// Writable scratch folder for build outputs (compiled snippets); on the run's size-limited /tmp.
inline constexpr const char* kSandboxBuildDir = "/tmp/.airlock-build";
inline constexpr const char* kSandboxHome = "/tmp/home";

struct LaunchSpec {
  Policy policy;
  // Run in order inside one sandbox; a step that does not exit 0 ends the run with its status.
  // The last step is the program itself (compilers come first).
  std::vector<std::vector<std::string>> steps;
  std::string cwd;                                         // absolute path inside the sandbox
  std::vector<std::pair<std::string, std::string>> env;    // the complete environment, nothing is inherited
  std::vector<FileToCreate> files;
  // The run talks with a user (protocol `interactive`). Backends that can attach its programs to a terminal do:
  // Windows process isolation gives them a pseudoconsole; the others keep pipes.
  bool interactive = false;
  // An overlay run's start, from the precise realtime clock (server/overlay/layer_capture.h): no step starts
  // before the coarse realtime clock, which file change times come from, has passed it.
  std::optional<std::chrono::system_clock::time_point> steps_wait_for_clock;
};

}  // namespace airlock::sandbox
