#include "sandbox/vm/guest_hypervisor.h"

namespace airlock::sandbox::vm {

GuestHypervisor hypervisor_from_cpuid_vendor(std::string_view vendor) {
  return vendor == "Microsoft Hv" ? GuestHypervisor::hyper_v : GuestHypervisor::qemu;
}

const char* module_order_file(GuestHypervisor hypervisor) {
  return hypervisor == GuestHypervisor::hyper_v ? "order.hyperv" : "order.qemu";
}

}  // namespace airlock::sandbox::vm
