#pragma once

// The server's handle on one sandbox: the pidfd of its init (what wait_fd() returns), the report pipe, the
// lifeline and the program's stdio. Destroying it kills the sandbox and reaps its init before returning.

#include <signal.h>

#include <chrono>
#include <optional>

#include "sandbox/backend.h"
#include "sandbox/linux/run_cgroup.h"

namespace airlock::sandbox::linux_backend {

struct SandboxHandles {
  UniqueFd init_pidfd;
  UniqueFd lifeline;  // held until the sandbox is dropped: its hang-up tells a starting init the server died
  UniqueFd reports;   // non-blocking read end
  UniqueFd stdin_write;
  UniqueFd stdout_read;
  UniqueFd stderr_read;
  RunCgroup cgroup;  // removed after the init is reaped: members outlive the destructor's body
  bool expects_layer = false;  // an overlay run: the init sends its layer over the lifeline before it is ready
};

class LinuxProcess final : public Process {
 public:
  explicit LinuxProcess(SandboxHandles handles);
  ~LinuxProcess() override;
  LinuxProcess(const LinuxProcess&) = delete;
  LinuxProcess& operator=(const LinuxProcess&) = delete;

  // Sends the go byte the init waits for once its id maps are written. Throws SandboxUnavailable.
  void let_init_start();
  // Blocks until the init reports the sandbox set up. Throws SandboxUnavailable with the init's reason, or when
  // setup takes longer than timeout (the sandbox is killed then).
  void wait_until_ready(std::chrono::milliseconds timeout);

  UniqueFd take_stdin() override;
  UniqueFd take_stdout() override;
  UniqueFd take_stderr() override;
  UniqueFd take_overlay_layer() override;
  int wait_fd() const override;
  std::optional<ExitStatus> poll() override;
  void kill() override;

 private:
  ExitStatus status_after_end(const siginfo_t& init_end);
  std::string describe_init_end();

  SandboxHandles handles_;
  UniqueFd layer_;
  bool killed_ = false;
  bool reaped_ = false;
  std::optional<ExitStatus> status_;
};

}  // namespace airlock::sandbox::linux_backend
