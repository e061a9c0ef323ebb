#include "sandbox/windows/run_folder_layout.h"

#include <array>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace airlock::sandbox::windows {
namespace {

struct SandboxFolder {
  std::string_view sandbox_path;
  std::string_view subfolder;
};

constexpr std::array<SandboxFolder, 3> kSandboxFolders{{
    {kSandboxFilesDir, "files"},
    {kSandboxBuildDir, "build"},
    {kSandboxHome, "home"},
}};

// The run folder's counterpart of text when it is a sandbox folder or a path below one.
std::optional<WindowsPath> mapped(std::string_view text, const WindowsPath& run_folder) {
  for (const SandboxFolder& folder : kSandboxFolders) {
    if (!text.starts_with(folder.sandbox_path)) continue;
    const std::string_view rest = text.substr(folder.sandbox_path.size());
    if (!rest.empty() && rest.front() != '/') continue;
    std::string relative(folder.subfolder);
    relative += rest;
    return run_folder.child(relative);
  }
  return std::nullopt;
}

std::string mapped_or_same(const std::string& text, const WindowsPath& run_folder) {
  const auto path = mapped(text, run_folder);
  return path ? path->str() : text;
}

}  // namespace

RunFolderPlan plan_run_folder(const LaunchSpec& spec, const WindowsPath& run_folder) {
  const auto cwd = WindowsPath::parse(spec.cwd);
  if (!cwd) throw std::invalid_argument("the run's working folder \"" + spec.cwd + "\" is not an absolute Windows path");
  RunFolderPlan plan;
  plan.cwd = *cwd;
  for (const SandboxFolder& folder : kSandboxFolders) plan.folders.push_back(run_folder.child(folder.subfolder));
  for (const FileToCreate& file : spec.files) {
    auto path = mapped(file.path, run_folder);
    if (!path)
      throw std::invalid_argument("the sandbox file \"" + file.path + "\" is outside the sandbox's own folders");
    plan.files.push_back({std::move(*path), file.content});
  }
  for (const auto& step : spec.steps) {
    std::vector<std::string>& argv = plan.steps.emplace_back();
    for (const std::string& argument : step) argv.push_back(mapped_or_same(argument, run_folder));
  }
  for (const auto& [name, value] : spec.env) plan.env.emplace_back(name, mapped_or_same(value, run_folder));
  return plan;
}

}  // namespace airlock::sandbox::windows
