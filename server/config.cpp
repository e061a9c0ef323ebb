#include "server/config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace airlock::server {
namespace {

using nlohmann::json;

std::optional<std::filesystem::path> user_config_path() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "airlock/config.json";
  if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".config/airlock/config.json";
  return std::nullopt;
}

// Limits in the config use the wire's names and units (MB, ms, seconds).
void read_limits(const json& object, const std::string& where, sandbox::Limits& limits) {
  if (!object.is_object()) throw std::invalid_argument(where + ": expected an object");
  auto field = [&](const char* name, std::int64_t& target, std::int64_t scale) {
    if (!object.contains(name)) return;
    const json& value = object[name];
    if (!value.is_number_integer() || value.get<std::int64_t>() <= 0)
      throw std::invalid_argument(where + "." + name + ": expected a positive integer");
    target = value.get<std::int64_t>() * scale;
  };
  field("timeoutMs", limits.timeout_ms, 1);
  field("memoryMB", limits.memory_bytes, 1 << 20);
  field("maxProcesses", limits.max_processes, 1);
  field("outputBytes", limits.output_bytes, 1);
  field("diskMB", limits.disk_bytes, 1 << 20);
  field("cpuSeconds", limits.cpu_seconds, 1);
  field("openFiles", limits.open_files, 1);
  field("fileSizeMB", limits.file_size_bytes, 1 << 20);
  field("vcpus", limits.vcpus, 1);
}

}  // namespace

ServerConfig ServerConfig::load(const std::optional<std::filesystem::path>& explicit_path) {
  ServerConfig config;
  std::optional<std::filesystem::path> path = explicit_path ? explicit_path : user_config_path();
  if (!path) return config;
  std::ifstream in(*path);
  if (!in) {
    if (explicit_path) throw std::runtime_error("cannot read config file " + path->string());
    return config;
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    json root = json::parse(text.str());
    if (!root.is_object()) throw std::invalid_argument("expected a JSON object at the top level");
    if (root.contains("limits")) read_limits(root["limits"], "limits", config.default_limits);
    if (root.contains("maxLimits")) read_limits(root["maxLimits"], "maxLimits", config.max_limits);
    if (root.contains("maxConcurrentRuns")) {
      const json& value = root["maxConcurrentRuns"];
      if (!value.is_number_integer() || value.get<int>() < 1 || value.get<int>() > 1024)
        throw std::invalid_argument("maxConcurrentRuns: expected an integer from 1 to 1024");
      config.max_concurrent_runs = value.get<int>();
    }
    if (root.contains("vmPoolSize")) {
      const json& value = root["vmPoolSize"];
      if (!value.is_number_integer() || value.get<int>() < 0 || value.get<int>() > 16)
        throw std::invalid_argument("vmPoolSize: expected an integer from 0 to 16");
      config.vm_pool_size = value.get<int>();
    }
    if (root.contains("protectedPaths")) {
      const json& value = root["protectedPaths"];
      if (!value.is_array()) throw std::invalid_argument("protectedPaths: expected an array of relative paths");
      for (const auto& item : value) {
        if (!item.is_string() || item.get<std::string>().empty() || item.get<std::string>().starts_with('/'))
          throw std::invalid_argument("protectedPaths: expected an array of relative paths");
        config.protected_paths.push_back(item.get<std::string>());
      }
    }
    if (root.contains("languages")) config.languages.merge(root["languages"]);
  } catch (const std::exception& error) {
    throw std::runtime_error("config file " + path->string() + ": " + error.what());
  }
  return config;
}

}  // namespace airlock::server
