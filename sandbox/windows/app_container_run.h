#pragma once

// One process-isolated run on Windows: a fresh AppContainer profile with no capabilities (no network, no user
// files; its processes are of low integrity), a run folder for its snippet, build outputs and home, ACL entries that
// grant the profile's SID exactly the workspace (per policy, protected folders kept read-only) and the run folder,
// and the run's programs in a Job Object with the run's limits.
//
// Teardown runs in the reverse order of setup: the process tree is ended (and waited for, so that no file stays
// open), the ACL entries are removed, the run folder is deleted, then the profile.

#include <memory>
#include <vector>

#include "sandbox/backend.h"
#include "sandbox/windows/acl_grant.h"
#include "sandbox/windows/app_container_profile.h"
#include "sandbox/windows/job_process.h"
#include "sandbox/windows/run_folder.h"

namespace airlock::sandbox::windows {

class AppContainerRun final : public Process {
 public:
  // Throws SandboxUnavailable for what process isolation cannot provide, WindowsError when a step of the setup
  // fails (naming it), std::invalid_argument for a spec Windows cannot express.
  static std::unique_ptr<AppContainerRun> start(const LaunchSpec& spec, unsigned host_processors);
  ~AppContainerRun() override;

  PipeEnd take_stdin() override { return programs_->take_stdin(); }
  PipeEnd take_stdout() override { return programs_->take_stdout(); }
  PipeEnd take_stderr() override { return programs_->take_stderr(); }
  UniqueFd take_overlay_layer() override { return {}; }
  WaitHandle wait_fd() const override { return programs_->wait_fd(); }
  std::optional<ExitStatus> poll() override { return programs_->poll(); }
  void kill() override { programs_->kill(); }

 private:
  AppContainerRun(AppContainerProfile profile, RunFolder folder, std::vector<AclGrant> grants,
                  std::unique_ptr<JobProcess> programs)
      : profile_(std::move(profile)),
        folder_(std::move(folder)),
        grants_(std::move(grants)),
        programs_(std::move(programs)) {}

  AppContainerProfile profile_;
  RunFolder folder_;
  std::vector<AclGrant> grants_;
  std::unique_ptr<JobProcess> programs_;
};

}  // namespace airlock::sandbox::windows
