#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "sandbox/vm/ext4_label.h"
#include "sandbox_test_support.h"

namespace airlock::sandbox::vm {
namespace {

namespace fs = std::filesystem;

// A real file system image made by mkfs.ext4 (e2fsprogs), as make-guest-system makes the system disk.
void make_ext4_image(const fs::path& image, const std::string& label) {
  { std::ofstream(image).close(); }
  fs::resize_file(image, 4 << 20);
  const std::string command = "PATH=\"$PATH:/usr/sbin:/sbin\" mkfs.ext4 -q -F" +
                              (label.empty() ? std::string() : " -L '" + label + "'") + " '" + image.string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
}

std::string first_bytes(const fs::path& file, std::size_t count) {
  std::ifstream in(file, std::ios::binary);
  std::string bytes(count, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(count));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

TEST_CASE("vm ext4 label: read from the superblock of an image mkfs.ext4 made") {
  const testing::TempWorkspace folder;
  make_ext4_image(folder.path() / "system.ext4", "airlock-system");
  make_ext4_image(folder.path() / "unlabelled.ext4", "");
  CHECK(ext4_label(first_bytes(folder.path() / "system.ext4", kExt4ProbeBytes)) == "airlock-system");
  CHECK(ext4_label(first_bytes(folder.path() / "unlabelled.ext4", kExt4ProbeBytes)) == "");
  // Too short to hold the superblock's label: not a file system this lookup can name.
  CHECK(ext4_label(first_bytes(folder.path() / "system.ext4", 1100)) == std::nullopt);
}

TEST_CASE("vm ext4 label: a label of all 16 bytes has no terminating zero") {
  const testing::TempWorkspace folder;
  make_ext4_image(folder.path() / "long.ext4", "sixteen-chars-ab");
  CHECK(ext4_label(first_bytes(folder.path() / "long.ext4", kExt4ProbeBytes)) == "sixteen-chars-ab");
}

TEST_CASE("vm ext4 label: anything without ext's magic has no label") {
  CHECK(ext4_label(std::string(kExt4ProbeBytes, '\0')) == std::nullopt);
  std::string almost(kExt4ProbeBytes, '\0');
  almost[1024 + 0x38] = '\x53';  // half of the magic 0xEF53
  CHECK(ext4_label(almost) == std::nullopt);
  almost[1024 + 0x39] = '\xEF';
  almost.replace(1024 + 0x78, 4, "disk");
  CHECK(ext4_label(almost) == "disk");
}

TEST_CASE("vm ext4 label: the device is found by its label, not by its name") {
  const testing::TempWorkspace folder;
  const fs::path class_block = folder.path() / "class-block";
  const fs::path dev = folder.path() / "dev";
  for (const char* name : {"sda", "sdb", "vda", "vdb"}) fs::create_directories(class_block / name);
  fs::create_directories(dev);
  // sda: an empty drive (no node); sdb: another ext4 disk; vda: zeros; vdb: the system disk.
  make_ext4_image(dev / "sdb", "scratch");
  std::ofstream(dev / "vda") << std::string(kExt4ProbeBytes, '\0');
  make_ext4_image(dev / "vdb", "airlock-system");
  CHECK(find_ext4_device(class_block, dev, "airlock-system") == dev / "vdb");
  CHECK(find_ext4_device(class_block, dev, "scratch") == dev / "sdb");
  CHECK(find_ext4_device(class_block, dev, "absent") == std::nullopt);
  CHECK(find_ext4_device(folder.path() / "no-sysfs", dev, "airlock-system") == std::nullopt);
}

}  // namespace
}  // namespace airlock::sandbox::vm
