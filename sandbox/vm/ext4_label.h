#pragma once

// Finding the VM's system disk by its ext4 label, not by its device name (vda under QEMU's virtio-blk, sda under
// Hyper-V's SCSI controller, and either may change with the devices attached).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace airlock::sandbox::vm {

// The superblock starts 1024 bytes into the device; these many bytes from the start hold it whole.
inline constexpr std::size_t kExt4ProbeBytes = 2048;

// The volume label of an ext2/3/4 file system whose first bytes are `device_start` (its magic checked); nullopt
// for anything else or too few bytes. An empty label is "".
std::optional<std::string> ext4_label(std::string_view device_start);

// The device node in `dev_folder` of the first block device listed in `class_block_folder` (sysfs's
// /sys/class/block, by name order) that holds an ext file system labelled `label`; nullopt when none does.
// Devices that cannot be opened or read (an empty drive) are skipped.
std::optional<std::filesystem::path> find_ext4_device(const std::filesystem::path& class_block_folder,
                                                      const std::filesystem::path& dev_folder, std::string_view label);

}  // namespace airlock::sandbox::vm
