#pragma once

// The one interface the server uses to run code. Backends (linux/, vm/, windows/) implement it;
// none of them knows JSON, and the server knows nothing of how isolation is done.

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sandbox/policy.h"
#include "sandbox/process_handles.h"
#include "sandbox/unique_fd.h"

namespace airlock::sandbox {

// The sandbox cannot be created on this host (e.g. user namespaces forbidden). The message says why
// and what to do; callers must not fall back to running without a sandbox.
class SandboxUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class LimitKind { memory, processes, disk, cpu, output };
const char* to_string(LimitKind kind);

struct ExitStatus {
  enum class Kind {
    exited,        // code is set
    signaled,      // signal is set
    setup_failed,  // the sandbox or the program could not be started; message says why
  };
  Kind kind = Kind::exited;
  int code = 0;
  int signal = 0;
  std::optional<LimitKind> limit;  // a limit enforced by the backend ended the run
  std::string message;
};

// The machine a VM-isolated run got, for sandbox/started.
struct MachineReport {
  int vcpus = 1;
  std::int64_t memory_mib = 0;  // the VM's memory: the run's memory limit plus the guest kernel's share
  bool prebooted = false;       // taken from the warm pool rather than booted for this run
};

// One running sandbox. Destroying it kills whatever still runs in it and releases everything it created.
class Process {
 public:
  virtual ~Process() = default;

  // Pipes to the program; the caller takes ownership once. Invalid after being taken.
  virtual PipeEnd take_stdin() = 0;
  virtual PipeEnd take_stdout() = 0;
  virtual PipeEnd take_stderr() = 0;
  // An overlay run's layer, once the sandbox is set up: an O_DIRECTORY descriptor of the upper folder of an
  // overlayfs over the workspace, in overlayfs's own format (a deleted entry is a 0:0 character device, a folder
  // that replaces the host's carries the xattr user.overlay.opaque = "y"). Holding it keeps the layer after the
  // sandbox is gone; closing it frees the layer. Invalid for other workspace modes.
  virtual UniqueFd take_overlay_layer() = 0;

  // Becomes readable (POSIX) or signalled (Windows) whenever poll() may have progress to report (e.g. the sandbox
  // ended).
  virtual WaitHandle wait_fd() const = 0;
  // Non-blocking; returns the final status once the sandbox has ended and has been reaped.
  virtual std::optional<ExitStatus> poll() = 0;

  // Kills the whole process tree at once. Idempotent; poll() then reports the end.
  virtual void kill() = 0;

  // Set where the run has a machine of its own (VM isolation).
  virtual std::optional<MachineReport> machine() const { return std::nullopt; }
};

struct WarmPoolSettings {
  std::optional<int> size;  // unset: the backend's default
  Limits limits;            // what the waiting sandboxes are made for; other runs start their own
};

struct ProtectionReport {
  std::string name;     // e.g. "user namespace", "seccomp", "landlock"
  bool active = false;
  std::string detail;   // why not, or how it is enforced
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual Isolation isolation() const = 0;
  // Throws SandboxUnavailable with the cause and the fix when the sandbox cannot be created.
  virtual std::unique_ptr<Process> start(const LaunchSpec& spec) = 0;
  // What protects a run on this host; used by `airlock doctor` and initialize's capabilities.
  virtual std::vector<ProtectionReport> probe() const = 0;
  // Whether start() can work here at all; the message says why not.
  virtual std::optional<std::string> unavailable_reason() const = 0;
  // Makes sandboxes ahead of runs to hide their start-up time (the VM backend's warm pool of pre-booted VMs),
  // until the backend is destroyed. Backends without such a thing ignore it.
  virtual void keep_warm(const WarmPoolSettings&) {}
  // What executes the code, where the backend chooses among several (the VM backend: "kvm" or "tcg"); reported
  // to clients in initialize and sandbox/started. May take a moment the first time (the VM backend's probe).
  virtual std::optional<std::string> accelerator() const { return std::nullopt; }
};

}  // namespace airlock::sandbox
