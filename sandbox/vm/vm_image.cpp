#include "sandbox/vm/vm_image.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace airlock::sandbox::vm {
namespace {

namespace fs = std::filesystem;

constexpr const char* kQemuName = "qemu-system-x86_64";

fs::path image_folder() {
  if (const char* dir = std::getenv("AIRLOCK_VM_IMAGE_DIR"); dir && *dir) return dir;
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path("vm") : exe.parent_path() / "vm";
}

std::string find_in_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream folders(path != nullptr && *path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    if (folder.empty()) continue;
    const fs::path candidate = fs::path(folder) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return {};
}

bool readable(const fs::path& path) { return ::access(path.c_str(), R_OK) == 0; }

}  // namespace

std::variant<VmImage, std::string> find_vm_image() {
  VmImage image;
  image.qemu = find_in_path(kQemuName);
  if (image.qemu.empty())
    return std::string(kQemuName) + " is not installed. Fix: apt-get install qemu-system-x86 (scripts/setup does)";
  const fs::path folder = image_folder();
  image.kernel = folder / "vmlinux";
  image.initramfs = folder / "initramfs.cpio";
  if (!readable(image.kernel) || !readable(image.initramfs))
    return "no VM image in " + folder.string() + " (vmlinux and initramfs.cpio, readable by this user). Fix: run " +
           "scripts/setup, which fetches the guest kernel from Debian's archive and builds the image, or point " +
           "AIRLOCK_VM_IMAGE_DIR at a folder that has them";
  std::ifstream release(folder / "release");
  std::getline(release, image.guest_release);
  if (const char* disk = std::getenv("AIRLOCK_VM_SYSTEM_DISK"); disk && *disk) {
    image.system_disk = disk;
    if (!readable(image.system_disk))
      return "AIRLOCK_VM_SYSTEM_DISK names " + image.system_disk.string() + ", which this user cannot read. Fix: " +
             "build the disk with sandbox/vm/make-guest-system <folder> and name <folder>/system.ext4 (readable by " +
             "this user), or unset the variable to give VMs the host's system folders";
  }
  return image;
}

}  // namespace airlock::sandbox::vm
