#include "sandbox/vm/launch_request.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sandbox/linux/sandbox_identity.h"
#include "sandbox/vm/guest_etc_entries.h"

namespace airlock::sandbox::vm {
namespace {

namespace fs = std::filesystem;

// The host's system folders: a folder is shared read-only, a symlink (usr-merged hosts) is recreated.
constexpr const char* kSystemPaths[] = {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"};
// What programs read from /etc, as in the process backend: never shadow files or anything about the host's users.
constexpr const char* kEtcEntries[] = {"ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "ssl",
                                       "ca-certificates", "localtime", "nsswitch.conf"};
constexpr const char* kEtcPrefixes[] = {"python3"};
constexpr std::uintmax_t kMaxEtcFileBytes = 4 << 20;
constexpr const char* kWorkspaceTag = "workspace";

bool readable_by_anyone(const struct stat& info) {
  return S_ISDIR(info.st_mode) ? (info.st_mode & S_IROTH) && (info.st_mode & S_IXOTH) : (info.st_mode & S_IROTH) != 0;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Copies a host /etc entry into the guest as it is, skipping whatever an unprivileged user could not read
// (a root server must not carry /etc/ssl/private into the guest).
void copy_host_entry(const fs::path& path, std::vector<GuestEntry>& entries) {
  struct stat info{};
  if (::lstat(path.c_str(), &info) != 0) return;
  if (S_ISLNK(info.st_mode)) {
    std::error_code error;
    const fs::path target = fs::read_symlink(path, error);
    if (!error) entries.push_back({.kind = GuestEntry::Kind::symlink, .path = path.string(), .content = target.string()});
    return;
  }
  if (!readable_by_anyone(info)) return;
  if (S_ISREG(info.st_mode) && static_cast<std::uintmax_t>(info.st_size) <= kMaxEtcFileBytes) {
    entries.push_back({.kind = GuestEntry::Kind::file, .path = path.string(), .content = read_file(path),
                       .mode = static_cast<std::uint32_t>(info.st_mode & 0755)});
    return;
  }
  if (!S_ISDIR(info.st_mode)) return;
  entries.push_back({.kind = GuestEntry::Kind::directory, .path = path.string(), .mode = static_cast<std::uint32_t>(info.st_mode & 0755)});
  std::error_code error;
  std::vector<fs::path> children;
  for (const auto& child : fs::directory_iterator(path, error)) children.push_back(child.path());
  std::sort(children.begin(), children.end());
  for (const auto& child : children) copy_host_entry(child, entries);
}

// The host's system folders that are folders (shared read-only); symlinks among them (usr-merged hosts) are
// recreated in the guest instead.
std::vector<GuestShare> system_folders() {
  std::vector<GuestShare> shares;
  for (const char* path : kSystemPaths) {
    struct stat info{};
    if (::lstat(path, &info) == 0 && S_ISDIR(info.st_mode))
      shares.push_back({.tag = "system" + std::to_string(shares.size()), .path = path, .writable = false});
  }
  return shares;
}

void add_system(LaunchRequest& request) {
  request.system_shares = system_folders();
  for (const char* path : kSystemPaths) {
    struct stat info{};
    if (::lstat(path, &info) == 0 && S_ISLNK(info.st_mode)) copy_host_entry(path, request.entries);
  }
}

void add_host_etc(LaunchRequest& request) {
  auto& entries = request.entries;
  for (const char* entry : kEtcEntries) copy_host_entry(fs::path("/etc") / entry, entries);
  std::error_code error;
  std::vector<fs::path> prefixed;
  for (const auto& entry : fs::directory_iterator("/etc", error)) {
    for (const char* prefix : kEtcPrefixes) {
      if (entry.path().filename().string().starts_with(prefix)) prefixed.push_back(entry.path());
    }
  }
  std::sort(prefixed.begin(), prefixed.end());
  for (const auto& path : prefixed) copy_host_entry(path, entries);
}

void add_files(LaunchRequest& request, const std::vector<FileToCreate>& files) {
  const std::string folder = kSandboxFilesDir;
  request.entries.push_back({.kind = GuestEntry::Kind::directory, .path = folder, .mode = 0755});
  for (const auto& file : files) {
    if (!file.path.starts_with(folder + "/") || fs::path(file.path).lexically_normal() != file.path)
      throw std::invalid_argument("a file to create must be under " + folder + ": \"" + file.path + "\"");
    request.entries.push_back({.kind = GuestEntry::Kind::file, .path = file.path, .content = file.content,
                                    .mode = static_cast<std::uint32_t>(file.mode & 0777)});
  }
}

void add_workspace(LaunchRequest& request, const Policy& policy) {
  const std::string workspace = policy.workspace.string();
  if (workspace.empty() || workspace == "/" || policy.workspace.lexically_normal() != policy.workspace ||
      !policy.workspace.is_absolute())
    throw std::invalid_argument("the workspace must be an absolute, normalized folder other than /: \"" + workspace + "\"");
  request.workspace = {.tag = kWorkspaceTag, .path = workspace, .writable = policy.workspace_mode == WorkspaceMode::readwrite};
  request.workspace_layout = WorkspaceShareLayout::staging_folder;
  request.workspace_mode = policy.workspace_mode;
  request.protected_paths = policy.protected_paths;
}

}  // namespace

SystemSource system_source(const VmImage& image) {
  return image.system_disk.empty() ? SystemSource::host_shares : SystemSource::system_disk;
}

std::vector<HostShare> vm_shares(const std::filesystem::path& staging_root, SystemSource system) {
  std::vector<HostShare> shares;
  if (system == SystemSource::host_shares) {
    for (const auto& folder : system_folders()) shares.push_back({.tag = folder.tag, .host_path = folder.path, .writable = false});
  }
  // Writable as a share, read-only on the host's side: only a workspace mounted there may take writes.
  shares.push_back({.tag = kWorkspaceTag, .host_path = staging_root, .writable = true});
  return shares;
}

LaunchRequest plan_guest(const LaunchSpec& spec, SystemSource system) {
  if (spec.steps.empty()) throw std::invalid_argument("a launch spec needs at least one step");
  for (const auto& step : spec.steps) {
    if (step.empty() || step.front().empty()) throw std::invalid_argument("a step needs a program");
  }
  LaunchRequest request;
  const auto identity = linux_backend::choose_sandbox_identity(spec.policy.workspace);
  request.uid = identity.uid;
  request.gid = identity.gid;
  add_sandbox_etc_entries(request);
  if (system == SystemSource::host_shares) {
    add_system(request);
    add_host_etc(request);
  } else {
    request.system_disk_label = kSystemDiskLabel;
  }
  add_files(request, spec.files);
  add_workspace(request, spec.policy);
  request.limits = spec.policy.limits;
  request.steps = spec.steps;
  request.cwd = spec.cwd;
  request.env = spec.env;
  request.realtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
  return request;
}

}  // namespace airlock::sandbox::vm
