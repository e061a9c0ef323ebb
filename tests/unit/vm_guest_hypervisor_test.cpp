#include <doctest/doctest.h>

#include <string>

#include "sandbox/vm/guest_hypervisor.h"

namespace airlock::sandbox::vm {
namespace {

TEST_CASE("vm guest hypervisor: Hyper-V's CPUID signature picks its module list") {
  CHECK(hypervisor_from_cpuid_vendor("Microsoft Hv") == GuestHypervisor::hyper_v);
  CHECK(std::string(module_order_file(GuestHypervisor::hyper_v)) == "order.hyperv");
}

TEST_CASE("vm guest hypervisor: QEMU's signatures, none, or a near miss pick QEMU's list") {
  for (const char* vendor : {"KVMKVMKVM\0\0\0", "TCGTCGTCGTCG", "", "Microsoft H", "microsoft hv"})
    CHECK(hypervisor_from_cpuid_vendor(vendor) == GuestHypervisor::qemu);
  CHECK(std::string(module_order_file(GuestHypervisor::qemu)) == "order.qemu");
}

}  // namespace
}  // namespace airlock::sandbox::vm
