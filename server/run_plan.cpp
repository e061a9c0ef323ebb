#include "server/run_plan.h"

#include <system_error>

#include "server/environment_merge.h"
#include "server/platform/sandbox_environment.h"
#include "server/request_error.h"
#include "server/uri.h"

namespace airlock::server {
namespace {

namespace fs = std::filesystem;

fs::path resolve_workspace(const std::string& folder) {
  std::string path = folder;
  if (folder.starts_with("file:")) {
    auto decoded = file_uri_to_path(folder);
    if (!decoded) throw invalid_params("params.workspaceFolder: \"" + folder + "\" is not a local file URI");
    path = *decoded;
  }
  if (path.empty() || !fs::path(path).is_absolute())
    throw invalid_params("params.workspaceFolder: expected a file URI or an absolute path, got \"" + folder + "\"");
  std::error_code error;
  fs::path canonical = fs::canonical(path, error);
  if (error) throw invalid_params("params.workspaceFolder: " + path + ": " + error.message());
  if (!fs::is_directory(canonical, error)) throw invalid_params("params.workspaceFolder: " + path + " is not a directory");
  return canonical;
}

// A path relative to the workspace that must not leave it, lexically: "..", absolute paths and NULs are refused.
fs::path relative_inside(const std::string& relative, const char* field) {
  if (relative.find('\0') != std::string::npos) throw invalid_params(std::string("params.") + field + ": contains a NUL byte");
  fs::path path = fs::path(relative).lexically_normal();
  if (path.is_absolute() || (!path.empty() && *path.begin() == ".."))
    throw invalid_params(std::string("params.") + field + ": \"" + relative + "\" must be relative to the workspace folder and stay inside it");
  return path;
}

bool is_inside(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

sandbox::Isolation parse_isolation(const std::string& isolation) {
  if (isolation == "process") return sandbox::Isolation::process;
  if (isolation == "vm") return sandbox::Isolation::vm;
  throw invalid_params("params.policy.isolation: expected \"process\" or \"vm\", got \"" + isolation + "\"");
}

sandbox::WorkspaceMode parse_mode(const std::string& mode) {
  if (mode == "readonly") return sandbox::WorkspaceMode::readonly;
  if (mode == "overlay") return sandbox::WorkspaceMode::overlay;
  if (mode == "readwrite") return sandbox::WorkspaceMode::readwrite;
  throw invalid_params("params.policy.workspace: expected \"readonly\", \"overlay\" or \"readwrite\"");
}

void apply_limits(const std::optional<protocol::ExecuteLimits>& requested, const ServerConfig& config, sandbox::Limits& limits) {
  limits = config.default_limits;
  if (!requested) return;
  auto take = [](const std::optional<std::int64_t>& value, std::int64_t scale, std::int64_t maximum, const char* name,
                 std::int64_t& target) {
    if (!value) return;
    if (*value > maximum / scale)
      throw invalid_params(std::string("params.limits.") + name + ": at most " + std::to_string(maximum / scale) +
                           " on this server");
    target = *value * scale;
  };
  take(requested->timeoutMs, 1, config.max_limits.timeout_ms, "timeoutMs", limits.timeout_ms);
  take(requested->memoryMB, 1 << 20, config.max_limits.memory_bytes, "memoryMB", limits.memory_bytes);
  take(requested->maxProcesses, 1, config.max_limits.max_processes, "maxProcesses", limits.max_processes);
  take(requested->outputBytes, 1, config.max_limits.output_bytes, "outputBytes", limits.output_bytes);
  take(requested->diskMB, 1 << 20, config.max_limits.disk_bytes, "diskMB", limits.disk_bytes);
  take(requested->cpuSeconds, 1, config.max_limits.cpu_seconds, "cpuSeconds", limits.cpu_seconds);
  take(requested->vcpus, 1, config.max_limits.vcpus, "vcpus", limits.vcpus);
}

}  // namespace

RunPlan plan_run(const protocol::ExecuteParams& params, const ServerConfig& config) {
  RunPlan plan;
  sandbox::Policy& policy = plan.spec.policy;
  policy.workspace = resolve_workspace(params.workspaceFolder);
  plan.workspace_uri = params.workspaceFolder.starts_with("file:") ? params.workspaceFolder
                                                                   : path_to_file_uri(policy.workspace.string());
  policy.protected_paths = config.protected_paths;
  // The wire contract's default once overlay exists: the code may write, and nothing reaches the workspace unreviewed.
  policy.workspace_mode = sandbox::WorkspaceMode::overlay;
  if (params.policy) {
    if (params.policy->isolation) policy.isolation = parse_isolation(*params.policy->isolation);
    if (params.policy->network && *params.policy->network == "host") policy.network = sandbox::Network::host;
    if (params.policy->workspace) policy.workspace_mode = parse_mode(*params.policy->workspace);
  }
  apply_limits(params.limits, config, policy.limits);

  const fs::path cwd = policy.workspace / relative_inside(params.cwd, "cwd");
  plan.spec.cwd = cwd.lexically_normal().string();
  if (plan.spec.cwd.size() > 1 && plan.spec.cwd.back() == '/') plan.spec.cwd.pop_back();

  const std::string build_output = std::string(sandbox::kSandboxBuildDir) + "/program";
  if (params.command) {
    plan.spec.steps.push_back(*params.command);
    plan.spec.steps.back().insert(plan.spec.steps.back().end(), params.args.begin(), params.args.end());
  } else {
    const Language* language = nullptr;
    if (params.language) {
      language = config.languages.find(*params.language);
      if (!language) throw invalid_params("params.language: unknown language \"" + *params.language + "\"; known: " +
                                          nlohmann::json(config.languages.names()).dump());
    }
    if (params.code) {
      if (!language) throw invalid_params("params.language: required with code");
      std::string extension = language->extensions.empty() ? "" : language->extensions.front();
      plan.program_path = std::string(sandbox::kSandboxFilesDir) + "/snippet" + extension;
      plan.snippet = true;
      plan.snippet_code = *params.code;
      plan.source = params.source;
      plan.spec.files.push_back({.path = plan.program_path, .content = *params.code, .mode = 0644});
    } else {
      const fs::path relative = relative_inside(*params.file, "file");
      std::error_code error;
      const fs::path host_file = fs::canonical(policy.workspace / relative, error);
      if (error) throw invalid_params("params.file: " + (policy.workspace / relative).string() + ": " + error.message());
      if (!is_inside(host_file, policy.workspace))
        throw invalid_params("params.file: \"" + *params.file + "\" resolves outside the workspace folder");
      if (!fs::is_regular_file(host_file, error)) throw invalid_params("params.file: \"" + *params.file + "\" is not a regular file");
      if (!language) language = config.languages.find_by_extension(host_file.extension().string());
      if (!language)
        throw invalid_params("params.language: cannot tell the language of \"" + *params.file + "\" from its extension; pass language");
      plan.program_path = host_file.string();
    }
    plan.language = language->name;
    plan.spec.steps = LanguageTable::expand(*language, plan.program_path, build_output, params.args);
  }

  plan.spec.env = merge_environment(platform::sandbox_base_environment(policy.isolation), params.env,
                                    platform::variable_name_comparison(policy.isolation));

  plan.stdin_text = params.stdinText.value_or("");
  plan.close_stdin = !params.interactive;
  plan.spec.interactive = params.interactive;
  return plan;
}

}  // namespace airlock::server
