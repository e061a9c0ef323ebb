#include "sandbox/vm/ext4_label.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sandbox/unique_fd.h"

namespace airlock::sandbox::vm {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kSuperblockOffset = 1024;
constexpr std::size_t kMagicOffset = 0x38;
constexpr std::uint16_t kMagic = 0xEF53;
constexpr std::size_t kVolumeNameOffset = 0x78;
constexpr std::size_t kVolumeNameBytes = 16;

std::optional<std::string> label_of_device(const fs::path& device) {
  UniqueFd file(::open(device.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!file) return std::nullopt;
  std::string start(kExt4ProbeBytes, '\0');
  std::size_t done = 0;
  while (done < start.size()) {
    const ssize_t n = ::pread(file.get(), start.data() + done, start.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  start.resize(done);
  return ext4_label(start);
}

}  // namespace

std::optional<std::string> ext4_label(std::string_view device_start) {
  if (device_start.size() < kSuperblockOffset + kVolumeNameOffset + kVolumeNameBytes) return std::nullopt;
  const std::string_view superblock = device_start.substr(kSuperblockOffset);
  const auto magic = static_cast<std::uint16_t>(static_cast<unsigned char>(superblock[kMagicOffset]) |
                                                static_cast<unsigned char>(superblock[kMagicOffset + 1]) << 8);
  if (magic != kMagic) return std::nullopt;
  const std::string_view name = superblock.substr(kVolumeNameOffset, kVolumeNameBytes);
  return std::string(name.substr(0, std::min(name.find('\0'), name.size())));
}

std::optional<fs::path> find_ext4_device(const fs::path& class_block_folder, const fs::path& dev_folder,
                                         std::string_view label) {
  std::error_code error;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(class_block_folder, error)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    const fs::path device = dev_folder / name;
    if (label_of_device(device) == label) return device;
  }
  return std::nullopt;
}

}  // namespace airlock::sandbox::vm
