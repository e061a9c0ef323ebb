#pragma once

// Which hypervisor the guest runs under, from the vendor signature of CPUID leaf 0x40000000 (EBX, ECX, EDX as 12
// characters), the way Linux itself tells Hyper-V apart. It chooses the kernel modules the agent loads: a driver
// for the other hypervisor's devices would not load (hv_vmbus answers ENODEV under QEMU).

#include <string>
#include <string_view>

namespace airlock::sandbox::vm {

enum class GuestHypervisor { qemu, hyper_v };

// Hyper-V's "Microsoft Hv"; anything else (KVM's "KVMKVMKVM", TCG's "TCGTCGTCGTCG", none) is QEMU, the only
// other hypervisor the image is built for.
GuestHypervisor hypervisor_from_cpuid_vendor(std::string_view vendor);

// What every boot loads, and what only a run with the system disk needs (its block driver and ext4).
enum class ModuleSet { boot, system_disk };

// The file naming that set's modules for that hypervisor in load order (fetch-guest-kernel writes all four).
std::string module_order_file(GuestHypervisor hypervisor, ModuleSet set);

}  // namespace airlock::sandbox::vm
