#include "sandbox/windows/hyper_v_image.h"

#include <windows.h>

#include <cstdlib>

#include "sandbox/windows/utf16.h"

namespace airlock::sandbox::windows {
namespace {

std::string image_folder() {
  if (const wchar_t* configured = ::_wgetenv(L"AIRLOCK_VM_IMAGE_DIR"); configured && *configured)
    return to_utf8(configured);
  std::wstring exe(MAX_PATH, L'\0');
  for (;;) {
    const DWORD length = ::GetModuleFileNameW(nullptr, exe.data(), static_cast<DWORD>(exe.size()));
    if (length < exe.size()) {
      exe.resize(length);
      break;
    }
    exe.resize(exe.size() * 2);
  }
  return to_utf8(exe.substr(0, exe.find_last_of(L"\\/") + 1)) + "vm";
}

bool is_file(const WindowsPath& path) {
  const DWORD attributes = ::GetFileAttributesW(to_utf16(path.extended()).c_str());
  return attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY);
}

}  // namespace

std::variant<GuestImage, std::string> find_hyper_v_image() {
  const std::string folder = image_folder();
  const auto parsed = WindowsPath::parse(folder);
  if (!parsed) return "the VM image folder \"" + folder + "\" is not an absolute Windows path. Fix: set AIRLOCK_VM_IMAGE_DIR to one";
  GuestImage image{parsed->child(kGuestKernelFile), parsed->child(kGuestInitramfsFile),
                   parsed->child(kGuestSystemDiskFile)};
  for (const WindowsPath* file : {&image.kernel, &image.initramfs, &*image.system_disk})
    if (!is_file(*file))
      return "no guest image for Hyper-V isolation: " + file->str() +
             " is missing (this build ships none for Windows). Fix: put a Linux kernel with Hyper-V's socket and "
             "storage drivers (hv_vmbus, hv_sock, hv_storvsc) as " + std::string(kGuestKernelFile) +
             ", Airlock's initramfs as " + kGuestInitramfsFile + " and the guest's system disk as " +
             kGuestSystemDiskFile + " in " + folder +
             " (scripts/package-windows builds that folder from a Linux build), or set AIRLOCK_VM_IMAGE_DIR to a "
             "folder holding them; or use isolation \"process\", or run airlock on Linux or in WSL 2";
  return image;
}

}  // namespace airlock::sandbox::windows
