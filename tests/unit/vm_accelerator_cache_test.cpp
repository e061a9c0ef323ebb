// The remembered answer of the KVM probe: one per guest kernel and QEMU, dropped when either changes.

#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "sandbox/vm/accelerator_cache.h"

namespace airlock::sandbox::vm {
namespace {

namespace fs = std::filesystem;

// A cache folder of its own in $XDG_CACHE_HOME for the test's lifetime, and files standing for images.
class CacheFolder {
 public:
  CacheFolder() : path_(fs::temp_directory_path() / ("airlock-accel-cache-" + std::to_string(::getpid()))) {
    fs::create_directories(path_);
    if (const char* old = std::getenv("XDG_CACHE_HOME")) old_ = old;
    ::setenv("XDG_CACHE_HOME", path_.c_str(), 1);
  }
  ~CacheFolder() {
    if (old_) ::setenv("XDG_CACHE_HOME", old_->c_str(), 1);
    else ::unsetenv("XDG_CACHE_HOME");
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  CacheFolder(const CacheFolder&) = delete;
  CacheFolder& operator=(const CacheFolder&) = delete;

  VmImage image(const std::string& name) const {
    const fs::path kernel = path_ / (name + "-vmlinux");
    std::ofstream(kernel) << name;
    const fs::path qemu = path_ / "qemu";
    std::ofstream(qemu) << "qemu";
    return VmImage{.qemu = qemu.string(), .kernel = kernel, .initramfs = path_ / "initramfs", .guest_release = "6.1"};
  }

 private:
  fs::path path_;
  std::optional<std::string> old_;
};

TEST_CASE("vm accelerator cache: each image keeps its own answer, and a changed kernel drops it") {
  CacheFolder folder;
  const VmImage first = folder.image("first");
  const VmImage second = folder.image("second");
  CHECK_FALSE(remembered_accelerator(first).has_value());
  remember_accelerator(first, {.accelerator = Accelerator::kvm, .detail = "booted"});
  remember_accelerator(second, {.accelerator = Accelerator::tcg, .detail = "hung"});

  const auto first_answer = remembered_accelerator(first);
  REQUIRE(first_answer.has_value());
  CHECK(first_answer->accelerator == Accelerator::kvm);
  CHECK(first_answer->detail.find("booted") == 0);
  const auto second_answer = remembered_accelerator(second);
  REQUIRE(second_answer.has_value());
  CHECK(second_answer->accelerator == Accelerator::tcg);

  fs::last_write_time(first.kernel, fs::last_write_time(first.kernel) + std::chrono::seconds(5));
  CHECK_FALSE(remembered_accelerator(first).has_value());
  CHECK(remembered_accelerator(second).has_value());
}

}  // namespace
}  // namespace airlock::sandbox::vm
