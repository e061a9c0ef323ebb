#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sandbox/windows/wsb_config.h"
#include "server/cli.h"
#include "server/cli_args.h"

namespace airlock::server {

int wsb_command(const std::vector<std::string>& raw_args) {
  CliArgs args(raw_args);
  sandbox::windows::WindowsSandboxRequest request;
  std::optional<std::string> output;
  try {
    const std::string workspace = args.take_value("--workspace").value_or(std::filesystem::current_path().string());
    output = args.take_value("--output");
    if (auto memory = args.take_number("--memory-mb")) {
      if (*memory < 1) throw std::invalid_argument("--memory-mb: expected a positive number of MiB");
      request.memory_mb = *memory;
    }
    request.logon_command = args.take_value("--logon-command").value_or("");
    if (!args.positionals().empty()) throw std::invalid_argument("wsb takes no positional arguments");
    auto path = sandbox::windows::WindowsPath::parse(workspace);
    if (!path)
      throw std::invalid_argument("the workspace \"" + workspace +
                                  "\" is not an absolute Windows path (C:\\... or \\\\server\\share\\...); pass "
                                  "--workspace with the folder as Windows names it");
    request.workspace = *path;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "airlock wsb: %s\n", error.what());
    return 2;
  }

  const std::string config = sandbox::windows::windows_sandbox_config(request);
  if (!output) {
    std::fwrite(config.data(), 1, config.size(), stdout);
    return 0;
  }
  std::ofstream file(*output, std::ios::binary | std::ios::trunc);
  file << config;
  file.close();
  if (!file) {
    std::fprintf(stderr, "airlock wsb: could not write %s\n", output->c_str());
    return 1;
  }
  std::fprintf(stderr, "airlock wsb: wrote %s; open it to start Windows Sandbox with %s mapped read-only at %s\n",
               output->c_str(), request.workspace.str().c_str(),
               sandbox::windows::windows_sandbox_folder(request.workspace).c_str());
  return 0;
}

}  // namespace airlock::server
