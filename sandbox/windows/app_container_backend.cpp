#include <thread>

#include "sandbox/windows/app_container_profile.h"
#include "sandbox/windows/app_container_run.h"
#include "sandbox/windows/job_object.h"
#include "sandbox/windows/pseudo_console.h"
#include "sandbox/windows/windows_backends.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

std::optional<std::string> job_object_refused() {
  try {
    JobObject::create(job_limits_for(Limits{}, std::thread::hardware_concurrency()));
    return std::nullopt;
  } catch (const WindowsError& error) {
    return std::string(error.what());
  }
}

class AppContainerBackend final : public Backend {
 public:
  Isolation isolation() const override { return Isolation::process; }

  std::unique_ptr<Process> start(const LaunchSpec& spec) override {
    if (auto reason = unavailable_reason()) throw SandboxUnavailable(*reason);
    return AppContainerRun::start(spec, std::thread::hardware_concurrency());
  }

  std::vector<ProtectionReport> probe() const override {
    const auto app_container = AppContainerProfile::unavailable_reason();
    const auto job = job_object_refused();
    const auto pseudo_console = PseudoConsole::unavailable_reason();
    return {
        {.name = "AppContainer",
         .active = !app_container,
         .detail = app_container.value_or("a profile per run with no capabilities: no network, no user files")},
        {.name = "Job Object",
         .active = !job,
         .detail = job ? "a job with the run's limits was refused: " + *job
                       : "the run's process tree, its memory, CPU time, CPU rate and process count; killed as one"},
        // Only interactive runs need it; the others run without it.
        {.name = "pseudoconsole (ConPTY)",
         .active = !pseudo_console,
         .detail = pseudo_console.value_or(
             "interactive runs get a console of their own (CreatePseudoConsole, found in kernel32.dll at run time)")},
    };
  }

  std::optional<std::string> unavailable_reason() const override {
    if (auto missing = AppContainerProfile::unavailable_reason()) return missing;
    if (auto refused = job_object_refused())
      return "process isolation is unavailable: a Job Object with the run's limits was refused: " + *refused;
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<Backend> make_app_container_backend() { return std::make_unique<AppContainerBackend>(); }

}  // namespace airlock::sandbox::windows
