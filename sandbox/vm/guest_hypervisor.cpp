#include "sandbox/vm/guest_hypervisor.h"

namespace airlock::sandbox::vm {

GuestHypervisor hypervisor_from_cpuid_vendor(std::string_view vendor) {
  return vendor == "Microsoft Hv" ? GuestHypervisor::hyper_v : GuestHypervisor::qemu;
}

std::string module_order_file(GuestHypervisor hypervisor, ModuleSet set) {
  const std::string list = hypervisor == GuestHypervisor::hyper_v ? "order.hyperv" : "order.qemu";
  return set == ModuleSet::system_disk ? list + "-system-disk" : list;
}

}  // namespace airlock::sandbox::vm
