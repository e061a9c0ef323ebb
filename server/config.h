#pragma once

// Server-wide settings: default limits for a run, the maximum a request may ask for, how many runs
// execute at once, how many VMs wait pre-booted, protected paths and the language table. Read from a JSON config file.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/policy.h"
#include "server/languages.h"

namespace airlock::server {

struct ServerConfig {
  sandbox::Limits default_limits;
  sandbox::Limits max_limits{
      .timeout_ms = 3'600'000,
      .memory_bytes = 16ll << 30,
      .max_processes = 4096,
      .output_bytes = 1ll << 30,
      .disk_bytes = 8ll << 30,
      .cpu_seconds = 3600,
      .open_files = 4096,
      .file_size_bytes = 8ll << 30,
      .vcpus = 16,
  };
  int max_concurrent_runs = 8;
  int max_queued_runs = 256;
  // Pre-booted VMs the server keeps for VM-isolated runs; unset: the VM backend's default (1 with KVM, 0 with TCG).
  std::optional<int> vm_pool_size;
  std::vector<std::string> protected_paths = {".git", ".vscode", ".idea", ".airlock"};
  LanguageTable languages = LanguageTable::builtin();

  // Reads `path`, or when it is empty the user's config ($XDG_CONFIG_HOME/airlock/config.json or
  // ~/.config/airlock/config.json) if it exists. Throws std::runtime_error naming the file and the field.
  static ServerConfig load(const std::optional<std::filesystem::path>& path);
};

}  // namespace airlock::server
