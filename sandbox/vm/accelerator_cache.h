#pragma once

// The KVM probe's answer, remembered per user until the host reboots or the image or QEMU changes, so that a
// server start (initialize reports the accelerator) pays for a probe boot once, not every time.
// ${XDG_CACHE_HOME:-$HOME/.cache}/airlock/vm-accelerator-<hash of the image's kernel and QEMU paths> (the passwd
// home without $HOME); without a home folder nothing is remembered.

#include <optional>

#include "sandbox/vm/kvm_probe.h"
#include "sandbox/vm/vm_image.h"

namespace airlock::sandbox::vm {

std::optional<AcceleratorChoice> remembered_accelerator(const VmImage& image);
// Best effort: a cache that cannot be written only means the next server probes again.
void remember_accelerator(const VmImage& image, const AcceleratorChoice& choice);

}  // namespace airlock::sandbox::vm
