#include "sandbox/linux/launch_plan.h"

#include <set>
#include <stdexcept>
#include <string_view>

#include "sandbox/linux/cgroup_placement.h"
#include "sandbox/linux/mount_table.h"
#include "sandbox/linux/seccomp_filter.h"

namespace airlock::sandbox::linux_backend {
namespace {

bool has_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

std::vector<std::string> split_search_path(const std::string& search_path) {
  std::vector<std::string> folders;
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = search_path.find(':', start);
    std::string folder = search_path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    // An empty entry means the current folder, as for execvp.
    folders.push_back(folder.empty() ? "." : folder);
    if (colon == std::string::npos) return folders;
    start = colon + 1;
  }
}

PlannedStep plan_step(const std::vector<std::string>& argv, const std::string& search_path) {
  if (argv.empty() || argv.front().empty()) throw std::invalid_argument("a step needs a program name");
  for (const auto& arg : argv) {
    if (has_nul(arg)) throw std::invalid_argument("a step's argument contains a NUL byte");
  }
  PlannedStep step{.argv = argv};
  const std::string& program = argv.front();
  if (program.find('/') != std::string::npos) {
    step.candidates.push_back(program);
  } else {
    for (const auto& folder : split_search_path(search_path)) step.candidates.push_back(folder + "/" + program);
  }
  return step;
}

std::vector<std::string> plan_env(const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> entries;
  std::set<std::string> names;
  for (const auto& [name, value] : env) {
    if (name.empty() || name.find('=') != std::string::npos || has_nul(name) || has_nul(value)) {
      throw std::invalid_argument("invalid environment variable name or value: \"" + name + "\"");
    }
    if (!names.insert(name).second) throw std::invalid_argument("environment variable given twice: " + name);
    entries.push_back(name + "=" + value);
  }
  return entries;
}

std::string search_path_of(const std::vector<std::pair<std::string, std::string>>& env) {
  for (const auto& [name, value] : env) {
    if (name == "PATH") return value;
  }
  return kDefaultSearchPath;
}

template <typename Strings>
std::vector<char*> pointers_into(Strings& strings) {
  std::vector<char*> pointers;
  for (auto& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Mounts below the workspace are locked in the sandbox's user namespace, and the kernel refuses to put an
// overlay over a folder with locked mounts in it (EINVAL, "failed to clone lowerpath"): the overlay mode says so
// before trying, the readonly mode binds the workspace instead (root_plan.cpp).
std::vector<std::string> mounts_below_overlay(const Policy& policy) {
  if (policy.workspace.empty() || policy.workspace_mode == WorkspaceMode::readwrite) return {};
  auto mounts = mount_points_below(policy.workspace);
  if (mounts.empty() || policy.workspace_mode != WorkspaceMode::overlay) return mounts;
  std::string listed;
  for (const auto& mount : mounts) listed += (listed.empty() ? "" : ", ") + mount;
  throw std::invalid_argument(
      "overlay mode cannot cover a workspace with other file systems mounted inside it (" + listed +
      "): the kernel refuses to lay an overlay over mounts it locks for the sandbox's user namespace. Fix: run with "
      "workspace mode readonly or readwrite, or unmount them");
}

}  // namespace

LaunchPlan make_launch_plan(const LaunchSpec& spec) {
  LaunchPlan plan;
  if (spec.cwd.empty() || spec.cwd.front() != '/' || has_nul(spec.cwd)) {
    throw std::invalid_argument("the working folder must be an absolute path inside the sandbox: \"" + spec.cwd + "\"");
  }
  plan.cwd = spec.cwd;
  plan.identity = choose_sandbox_identity(spec.policy.workspace);
  plan.root_ops = plan_root_filesystem(spec, plan.identity, mounts_below_overlay(spec.policy));
  plan.env = plan_env(spec.env);
  plan.search_path = search_path_of(spec.env);
  for (const auto& argv : spec.steps) plan.steps.push_back(plan_step(argv, plan.search_path));
  plan.limits = spec.policy.limits;
  plan.cgroups = {.memory = cgroup_placement().memory.parent, .pids = cgroup_placement().pids.parent};
  plan.landlock = plan_landlock(spec.policy);
  plan.seccomp = seccomp_program();
  plan.hands_over_layer = spec.policy.workspace_mode == WorkspaceMode::overlay && !spec.policy.workspace.empty();
  plan.steps_wait_for_clock = spec.steps_wait_for_clock;
  // Pointers last: every string is in its final place now.
  for (auto& step : plan.steps) step.argv_pointers = pointers_into(step.argv);
  plan.env_pointers = pointers_into(plan.env);
  return plan;
}

}  // namespace airlock::sandbox::linux_backend
