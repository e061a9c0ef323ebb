#include <doctest/doctest.h>

#include "sandbox/vm/guest_hypervisor.h"

namespace airlock::sandbox::vm {
namespace {

TEST_CASE("vm guest hypervisor: Hyper-V's CPUID signature picks its module lists") {
  CHECK(hypervisor_from_cpuid_vendor("Microsoft Hv") == GuestHypervisor::hyper_v);
  CHECK(module_order_file(GuestHypervisor::hyper_v, ModuleSet::boot) == "order.hyperv");
  CHECK(module_order_file(GuestHypervisor::hyper_v, ModuleSet::system_disk) == "order.hyperv-system-disk");
}

TEST_CASE("vm guest hypervisor: QEMU's signatures, none, or a near miss pick QEMU's lists") {
  for (const char* vendor : {"KVMKVMKVM\0\0\0", "TCGTCGTCGTCG", "", "Microsoft H", "microsoft hv"})
    CHECK(hypervisor_from_cpuid_vendor(vendor) == GuestHypervisor::qemu);
  CHECK(module_order_file(GuestHypervisor::qemu, ModuleSet::boot) == "order.qemu");
  CHECK(module_order_file(GuestHypervisor::qemu, ModuleSet::system_disk) == "order.qemu-system-disk");
}

}  // namespace
}  // namespace airlock::sandbox::vm
