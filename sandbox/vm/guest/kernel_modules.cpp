#include "sandbox/vm/guest/kernel_modules.h"

#include <cpuid.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "sandbox/unique_fd.h"
#include "sandbox/vm/guest/guest_error.h"
#include "sandbox/vm/guest_hypervisor.h"

namespace airlock::sandbox::vm::guest {
namespace {

constexpr unsigned kHypervisorVendorLeaf = 0x40000000;
constexpr unsigned kHypervisorPresentBit = 1u << 31;  // CPUID.1:ECX

GuestHypervisor running_hypervisor() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  __cpuid(1, eax, ebx, ecx, edx);
  if ((ecx & kHypervisorPresentBit) == 0) return hypervisor_from_cpuid_vendor("");
  __cpuid(kHypervisorVendorLeaf, eax, ebx, ecx, edx);
  char vendor[12];
  std::memcpy(vendor, &ebx, 4);
  std::memcpy(vendor + 4, &ecx, 4);
  std::memcpy(vendor + 8, &edx, 4);
  return hypervisor_from_cpuid_vendor(std::string_view(vendor, sizeof vendor));
}

}  // namespace

void load_kernel_modules(const std::string& folder, ModuleSet set) {
  const std::string list = folder + "/" + module_order_file(running_hypervisor(), set);
  std::ifstream order(list);
  if (!order) fail_call("open", "reading the module list " + list);
  std::string name;
  while (std::getline(order, name)) {
    if (name.empty()) continue;
    const std::string path = folder + "/" + name;
    UniqueFd module(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!module) fail_call("open", "loading kernel module " + path);
    if (::syscall(SYS_finit_module, module.get(), "", 0) != 0 && errno != EEXIST)
      fail_call("finit_module", "loading kernel module " + path);
  }
}

void drop_kernel_modules(const std::string& folder) {
  std::error_code ignored;
  std::filesystem::remove_all(folder, ignored);
}

}  // namespace airlock::sandbox::vm::guest
