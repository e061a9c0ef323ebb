#include "sandbox/windows/app_container_run.h"

#include <atomic>

#include "sandbox/windows/existing_protected_paths.h"
#include "sandbox/windows/run_folder_layout.h"
#include "sandbox/windows/workspace_access.h"

namespace airlock::sandbox::windows {
namespace {

// Long enough for Windows to tear down a terminated tree; a folder still in use after that stays behind.
constexpr DWORD kTeardownWaitMs = 5000;

std::string profile_name() {
  static std::atomic<unsigned> counter{0};
  return "airlock.run." + std::to_string(::GetCurrentProcessId()) + "." + std::to_string(++counter);
}

}  // namespace

std::unique_ptr<AppContainerRun> AppContainerRun::start(const LaunchSpec& spec, unsigned host_processors) {
  const auto workspace = WindowsPath::parse(spec.policy.workspace.string());
  if (!workspace)
    throw SandboxUnavailable("the workspace \"" + spec.policy.workspace.string() +
                             "\" is not an absolute Windows path (C:\\... or \\\\server\\share\\...)");
  RunFolder folder = RunFolder::create();
  const RunFolderPlan plan = plan_run_folder(spec, folder.path());
  const std::vector<AccessRule> rules =
      workspace_access_rules(spec.policy, existing_protected_paths(spec.policy, *workspace), folder.path());
  folder.fill(plan);

  AppContainerProfile profile = AppContainerProfile::create(profile_name());
  std::vector<AclGrant> grants;
  grants.reserve(rules.size());
  for (const AccessRule& rule : rules) grants.emplace_back(rule.path, profile.sid(), access_entry_for(rule.kind));

  std::vector<ProcessLaunch> steps;
  for (const auto& argv : plan.steps)
    steps.push_back({.argv = argv, .cwd = plan.cwd.str(), .env = plan.env, .app_container = profile.sid()});
  auto programs = JobProcess::start(std::move(steps), job_limits_for(spec.policy.limits, host_processors),
                                    spec.interactive ? RunStdio::console : RunStdio::pipes);
  return std::unique_ptr<AppContainerRun>(
      new AppContainerRun(std::move(profile), std::move(folder), std::move(grants), std::move(programs)));
}

AppContainerRun::~AppContainerRun() {
  programs_->end_and_wait(kTeardownWaitMs);
  programs_.reset();
  grants_.clear();
}

}  // namespace airlock::sandbox::windows
