// An overlay run's layer as the host rebuilds it from the agent's frames: overlayfs's format, nothing outside
// the layer folder, and a full layer that stops taking data without breaking the run.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <linux/magic.h>
#include <string>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/layer_folder.h"
#include "sandbox/vm/layer_writer.h"

namespace airlock::sandbox::vm {
namespace {

std::string read_at(int folder, const char* path) {
  UniqueFd file(::openat(folder, path, O_RDONLY | O_CLOEXEC));
  REQUIRE(file);
  std::string text(4096, '\0');
  const ssize_t n = ::read(file.get(), text.data(), text.size());
  text.resize(static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
  return text;
}

TEST_CASE("vm layer: the folder is a private tmpfs of the run's size") {
  const UniqueFd folder = make_layer_folder(1 << 20);
  struct statfs info{};
  REQUIRE(::fstatfs(folder.get(), &info) == 0);
  CHECK(info.f_type == TMPFS_MAGIC);
  CHECK(static_cast<long long>(info.f_blocks) * info.f_bsize == 1 << 20);
}

TEST_CASE("vm layer: entries land in overlayfs's format") {
  const UniqueFd folder = make_layer_folder(1 << 20);
  LayerWriter writer(folder.get());
  CHECK_FALSE(writer.add({.kind = LayerEntry::Kind::directory, .path = "made", .mode = 0750, .opaque = true}));
  CHECK_FALSE(writer.add({.kind = LayerEntry::Kind::file, .path = "made/m.txt", .mode = 0640}));
  CHECK_FALSE(writer.append("hello "));
  CHECK_FALSE(writer.append("layer"));
  CHECK_FALSE(writer.add({.kind = LayerEntry::Kind::symlink, .path = "link", .target = "/etc/passwd"}));
  CHECK_FALSE(writer.add({.kind = LayerEntry::Kind::whiteout, .path = "gone.txt"}));

  struct stat info{};
  REQUIRE(::fstatat(folder.get(), "made", &info, AT_SYMLINK_NOFOLLOW) == 0);
  CHECK((S_ISDIR(info.st_mode) && (info.st_mode & 07777) == 0750));
  UniqueFd made(::openat(folder.get(), "made", O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  char opaque[2] = {};
  CHECK(::fgetxattr(made.get(), "user.overlay.opaque", opaque, sizeof opaque) == 1);
  CHECK(opaque[0] == 'y');
  CHECK(read_at(folder.get(), "made/m.txt") == "hello layer");
  REQUIRE(::fstatat(folder.get(), "made/m.txt", &info, AT_SYMLINK_NOFOLLOW) == 0);
  CHECK((info.st_mode & 07777) == 0640);
  char target[64] = {};
  CHECK(::readlinkat(folder.get(), "link", target, sizeof target) == 11);
  CHECK(std::string(target) == "/etc/passwd");
  REQUIRE(::fstatat(folder.get(), "gone.txt", &info, AT_SYMLINK_NOFOLLOW) == 0);
  CHECK((S_ISCHR(info.st_mode) && info.st_rdev == makedev(0, 0)));
}

TEST_CASE("vm layer: a guest cannot write through a symlink, twice to one path, or data without a file") {
  const UniqueFd folder = make_layer_folder(1 << 20);
  LayerWriter writer(folder.get());
  CHECK_FALSE(writer.add({.kind = LayerEntry::Kind::symlink, .path = "escape", .target = "/tmp"}));
  CHECK(writer.add({.kind = LayerEntry::Kind::file, .path = "escape/planted"}));
  CHECK(writer.add({.kind = LayerEntry::Kind::directory, .path = "escape"}));
  CHECK(writer.add({.kind = LayerEntry::Kind::file, .path = "missing/parent"}));
  CHECK(writer.append("orphan bytes"));
  CHECK(::access("/tmp/planted", F_OK) != 0);
}

TEST_CASE("vm layer: a full layer drops the rest without an error") {
  const UniqueFd folder = make_layer_folder(64 * 1024);
  LayerWriter writer(folder.get());
  CHECK_FALSE(writer.add({.kind = LayerEntry::Kind::file, .path = "big"}));
  const std::string chunk(32 * 1024, 'x');
  for (int i = 0; i < 8; ++i) CHECK_FALSE(writer.append(chunk));
  CHECK_FALSE(writer.add({.kind = LayerEntry::Kind::file, .path = "after"}));
  struct stat info{};
  REQUIRE(::fstatat(folder.get(), "big", &info, AT_SYMLINK_NOFOLLOW) == 0);
  CHECK(info.st_size <= 64 * 1024);
}

TEST_CASE("vm agent protocol: layer entries refuse paths that leave the layer") {
  const LayerEntry entry{.kind = LayerEntry::Kind::directory, .path = "a/b", .mode = 0755, .opaque = true};
  CHECK(decode_layer_entry(encode_layer_entry(entry)) == entry);
  for (const char* path : {"", "/abs", "a/../b", "..", ".", "a//b", "a/", "./a"}) {
    CHECK_FALSE(decode_layer_entry(encode_layer_entry({.kind = LayerEntry::Kind::file, .path = path})));
  }
  CHECK_FALSE(decode_layer_entry(encode_layer_entry({.kind = LayerEntry::Kind::file, .path = std::string("a\0b", 3)})));
  std::string unknown_kind = encode_layer_entry(entry);
  unknown_kind[0] = 9;
  CHECK_FALSE(decode_layer_entry(unknown_kind));
}

}  // namespace
}  // namespace airlock::sandbox::vm
