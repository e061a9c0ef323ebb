#include "sandbox/vm/guest/system_disk.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "sandbox/unique_fd.h"
#include "sandbox/vm/ext4_label.h"
#include "sandbox/vm/guest/guest_error.h"

namespace airlock::sandbox::vm::guest {
namespace {

namespace fs = std::filesystem;

// The agent's own /sys and /dev are hidden before the guest's root is built: the lookup mounts its own, briefly.
constexpr const char* kLookupSys = "/.system-disk-sys";
constexpr const char* kLookupDev = "/.system-disk-dev";
constexpr const char* kDiskMount = "/.system-disk";
// Hyper-V's SCSI scan runs asynchronously: its disks may appear a moment after the driver has loaded.
constexpr auto kDiskPatience = std::chrono::seconds(10);
constexpr auto kDiskPoll = std::chrono::milliseconds(50);
constexpr unsigned long kReadOnly = MS_RDONLY | MS_NOSUID | MS_NODEV;

void make_folder(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) fail_call("mkdir", "creating " + path);
}

// A kernel view (sysfs, devtmpfs) mounted on a folder of its own for as long as the lookup needs it.
class PrivateView {
 public:
  PrivateView(const char* type, const char* folder) : folder_(folder) {
    make_folder(folder_);
    if (::mount(type, folder, type, MS_NOSUID | MS_NOEXEC, nullptr) != 0) fail_call("mount", std::string("mounting ") + type);
  }
  ~PrivateView() {
    ::umount2(folder_.c_str(), MNT_DETACH);
    ::rmdir(folder_.c_str());
  }
  PrivateView(const PrivateView&) = delete;
  PrivateView& operator=(const PrivateView&) = delete;

 private:
  std::string folder_;
};

// The disk mounted out of the program's sight; detached once its folders are bound where they belong.
class DiskMount {
 public:
  explicit DiskMount(const std::string& label) {
    const PrivateView sys("sysfs", kLookupSys);
    const PrivateView dev("devtmpfs", kLookupDev);
    const auto deadline = std::chrono::steady_clock::now() + kDiskPatience;
    std::optional<fs::path> device = find_ext4_device(std::string(kLookupSys) + "/class/block", kLookupDev, label);
    while (!device && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(kDiskPoll);
      device = find_ext4_device(std::string(kLookupSys) + "/class/block", kLookupDev, label);
    }
    if (!device)
      throw GuestError("guest agent: no disk with an ext4 file system labelled \"" + label +
                       "\" is attached; the host must attach the system disk make-guest-system builds");
    make_folder(kDiskMount);
    if (::mount(device->c_str(), kDiskMount, "ext4", kReadOnly, nullptr) != 0)
      fail_call("mount", "mounting the system disk " + device->string());
  }
  ~DiskMount() {
    ::umount2(kDiskMount, MNT_DETACH);
    ::rmdir(kDiskMount);
  }
  DiskMount(const DiskMount&) = delete;
  DiskMount& operator=(const DiskMount&) = delete;

  static fs::path root() { return kDiskMount; }
};

void bind_read_only(const fs::path& source, const fs::path& target) {
  const std::string doing = "binding the system disk's " + source.string() + " to " + target.string();
  if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) fail_call("mount", doing);
  if (::mount(nullptr, target.c_str(), nullptr, MS_BIND | MS_REMOUNT | kReadOnly, nullptr) != 0) fail_call("mount", doing);
}

// Puts one entry of the disk at the same path in the guest's root: a folder or file bound read-only over an
// empty one made for it, a symlink recreated.
void place(const fs::path& source, const fs::path& target) {
  struct stat info{};
  if (::lstat(source.c_str(), &info) != 0) fail_call("lstat", "reading the system disk's " + source.string());
  if (S_ISLNK(info.st_mode)) {
    std::error_code error;
    const fs::path link = fs::read_symlink(source, error);
    if (error) throw GuestError("guest agent: reading the system disk's link " + source.string() + ": " + error.message());
    if (::symlink(link.c_str(), target.c_str()) != 0) fail_call("symlink", "creating " + target.string());
    return;
  }
  if (S_ISDIR(info.st_mode)) {
    make_folder(target);
  } else {
    UniqueFd file(::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!file) fail_call("open", "creating " + target.string());
  }
  bind_read_only(source, target);
}

std::vector<fs::path> children(const fs::path& folder) {
  std::error_code error;
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(folder, error)) found.push_back(entry.path());
  if (error) throw GuestError("guest agent: listing the system disk's " + folder.string() + ": " + error.message());
  std::sort(found.begin(), found.end());
  return found;
}

bool request_creates(const LaunchRequest& request, const fs::path& path) {
  return std::any_of(request.entries.begin(), request.entries.end(),
                     [&](const GuestEntry& entry) { return entry.path == path.string(); });
}

}  // namespace

void mount_system_disk(const LaunchRequest& request) {
  if (request.system_disk_label.empty()) return;
  const DiskMount disk(request.system_disk_label);
  for (const auto& source : children(DiskMount::root())) {
    const fs::path target = "/" / source.filename();
    if (source.filename() == "etc" || source.filename() == "lost+found") continue;
    place(source, target);
  }
  // /etc holds the request's own files too (the sandbox user's passwd and group): only the rest comes from the disk.
  const fs::path etc = DiskMount::root() / "etc";
  if (!fs::is_directory(etc)) return;
  make_folder("/etc");
  for (const auto& source : children(etc)) {
    const fs::path target = "/etc" / source.filename();
    if (!request_creates(request, target)) place(source, target);
  }
}

}  // namespace airlock::sandbox::vm::guest
