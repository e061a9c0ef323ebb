#include "sandbox/windows/hyper_v_launch_plan.h"

#include <stdexcept>

#include "sandbox/vm/guest_etc_entries.h"

namespace airlock::sandbox::windows {
namespace {

vm::GuestShare guest_share(const GuestMount& mount) {
  return {.tag = mount.share, .path = mount.guest_path, .writable = mount.writable};
}

// The guest mounts the workspace at the workspace's guest path, spelled as the host's policy spells it: a path
// inside it keeps the workspace's own spelling, whatever case the rest of the path was given in.
std::string as_guest_names_it(const std::string& text, const WindowsPath& workspace) {
  const auto path = WindowsPath::parse(text);
  if (!path || !workspace.contains(*path)) return text;
  std::string guest = workspace.guest_path();
  for (std::size_t i = workspace.components().size(); i < path->components().size(); ++i)
    guest += "/" + path->components()[i];
  return guest;
}

}  // namespace

vm::LaunchRequest plan_hyper_v_launch(const LaunchSpec& spec, const UtilityVmPlan& plan,
                                      std::chrono::system_clock::time_point now) {
  if (plan.mounts.empty() || plan.mounts.front().guest_path != plan.workspace_guest_path)
    throw std::invalid_argument("a utility VM's plan must mount its workspace share first");
  vm::LaunchRequest request;
  request.realtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  request.workspace = guest_share(plan.mounts.front());
  request.workspace_layout = vm::WorkspaceShareLayout::workspace_folder;
  for (auto mount = plan.mounts.begin() + 1; mount != plan.mounts.end(); ++mount)
    request.protected_shares.push_back(guest_share(*mount));
  request.workspace_mode = spec.policy.workspace_mode;
  // The guest has no /etc of the host to take its user from; the sandbox user is nobody (the request's default).
  vm::add_sandbox_etc_entries(request);
  // The SCSI disk the document attaches: the agent finds it by its label and mounts the system folders from it.
  if (plan.system_disk) request.system_disk_label = vm::kSystemDiskLabel;
  // The guest binds them read-only as well, as under QEMU, beneath the host's read-only shares.
  request.protected_paths = spec.policy.protected_paths;
  for (const FileToCreate& file : spec.files)
    request.entries.push_back({.kind = vm::GuestEntry::Kind::file, .path = file.path, .content = file.content,
                               .mode = static_cast<std::uint32_t>(file.mode)});
  request.limits = spec.policy.limits;
  const auto workspace = WindowsPath::parse(spec.policy.workspace.string());
  if (!workspace) throw std::invalid_argument("a utility VM's workspace must be an absolute Windows path");
  request.steps = spec.steps;
  for (auto& step : request.steps)
    for (auto& argument : step) argument = as_guest_names_it(argument, *workspace);
  request.cwd = as_guest_names_it(spec.cwd, *workspace);
  request.env = spec.env;
  return request;
}

}  // namespace airlock::sandbox::windows
