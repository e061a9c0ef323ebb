#pragma once

// Which hypervisor the guest runs under, from the vendor signature of CPUID leaf 0x40000000 (EBX, ECX, EDX as 12
// characters), the way Linux itself tells Hyper-V apart. It chooses the kernel modules the agent loads: a driver
// for the other hypervisor's devices would not load (hv_vmbus answers ENODEV under QEMU).

#include <string_view>

namespace airlock::sandbox::vm {

enum class GuestHypervisor { qemu, hyper_v };

// Hyper-V's "Microsoft Hv"; anything else (KVM's "KVMKVMKVM", TCG's "TCGTCGTCGTCG", none) is QEMU, the only
// other hypervisor the image is built for.
GuestHypervisor hypervisor_from_cpuid_vendor(std::string_view vendor);

// The file naming that hypervisor's modules in load order (fetch-guest-kernel writes both).
const char* module_order_file(GuestHypervisor hypervisor);

}  // namespace airlock::sandbox::vm
