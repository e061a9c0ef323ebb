#include "sandbox/vm/accelerator_cache.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace airlock::sandbox::vm {
namespace {

namespace fs = std::filesystem;

// Which image and QEMU a cache file is for, as a name: one file each, so that servers of several builds (each
// with its own image) do not overwrite each other's answer and probe again at every start. FNV-1a, stable across
// runs and builds.
std::string file_name_for(const VmImage& image) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const char c : image.kernel.string() + '\n' + image.qemu) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  }
  char name[40];
  std::snprintf(name, sizeof name, "vm-accelerator-%016llx", static_cast<unsigned long long>(hash));
  return name;
}

// Editors often start the server with a bare environment: without $HOME, the user's home from the passwd database.
std::optional<fs::path> cache_file(const VmImage& image) {
  const fs::path name = fs::path("airlock") / file_name_for(image);
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return fs::path(xdg) / name;
  if (const char* home = std::getenv("HOME"); home && *home == '/') return fs::path(home) / ".cache" / name;
  if (const passwd* user = ::getpwuid(::geteuid()); user && user->pw_dir && *user->pw_dir == '/')
    return fs::path(user->pw_dir) / ".cache" / name;
  return std::nullopt;
}

// What the answer depends on: this boot of the host, the guest kernel and QEMU.
std::string cache_key(const VmImage& image) {
  std::ifstream boot_id_file("/proc/sys/kernel/random/boot_id");
  std::string boot_id;
  std::getline(boot_id_file, boot_id);
  std::error_code error;
  const auto kernel_time = fs::last_write_time(image.kernel, error).time_since_epoch().count();
  const auto qemu_time = fs::last_write_time(image.qemu, error).time_since_epoch().count();
  std::ostringstream key;
  key << boot_id << ' ' << image.kernel.string() << ' ' << kernel_time << ' ' << image.qemu << ' ' << qemu_time;
  return key.str();
}

}  // namespace

std::optional<AcceleratorChoice> remembered_accelerator(const VmImage& image) {
  const auto path = cache_file(image);
  if (!path) return std::nullopt;
  std::ifstream in(*path);
  std::string key, name, detail;
  if (!std::getline(in, key) || !std::getline(in, name) || !std::getline(in, detail) || key != cache_key(image))
    return std::nullopt;
  if (name != "kvm" && name != "tcg") return std::nullopt;
  return AcceleratorChoice{name == "kvm" ? Accelerator::kvm : Accelerator::tcg, detail + " (remembered from an earlier probe)"};
}

void remember_accelerator(const VmImage& image, const AcceleratorChoice& choice) {
  const auto path = cache_file(image);
  if (!path) return;
  std::error_code error;
  fs::create_directories(path->parent_path(), error);
  if (error) return;
  const fs::path temporary = path->string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temporary);
    out << cache_key(image) << '\n' << to_string(choice.accelerator) << '\n' << choice.detail << '\n';
    if (!out) return;
  }
  fs::rename(temporary, *path, error);
  if (error) fs::remove(temporary, error);
}

}  // namespace airlock::sandbox::vm
