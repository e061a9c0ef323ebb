// How the guest agent mounts the host's 9p shares: the transport follows the agent's channel.

#include <doctest/doctest.h>

#include <stdexcept>

#include "sandbox/vm/plan9_mount.h"

namespace airlock::sandbox::vm {
namespace {

const GuestChannelOption kQemu{};
const GuestChannelOption kHyperV{.kind = GuestChannelOption::Kind::vsock, .vsock_port = 46000};
const GuestShare kWorkspace{.tag = "workspace", .path = "/mnt/c/Users/me/proj", .writable = true};

TEST_CASE("vm plan9 mount: under QEMU a share is the virtio-9p device of its tag") {
  CHECK(plan9_mount(kQemu, {.tag = "system0", .path = "/usr"}, ShareCaching::cached, -1) ==
        Plan9Mount{"system0", "trans=virtio,version=9p2000.L,access=client,cache=loose,msize=512000"});
  CHECK(plan9_mount(kQemu, kWorkspace, ShareCaching::coherent, 7) ==
        Plan9Mount{"workspace", "trans=virtio,version=9p2000.L,access=client,cache=mmap,msize=512000"});
}

TEST_CASE("vm plan9 mount: under Hyper-V a share is named by its aname over the agent's vsock connection") {
  CHECK(plan9_mount(kHyperV, kWorkspace, ShareCaching::coherent, 5) ==
        Plan9Mount{"workspace",
                   "trans=fd,rfdno=5,wfdno=5,version=9p2000.L,access=client,cache=mmap,msize=65536,aname=workspace"});
  CHECK(plan9_mount(kHyperV, {.tag = "protected1", .path = "/mnt/c/Users/me/proj/.git"}, ShareCaching::cached, 12)
            .options == "trans=fd,rfdno=12,wfdno=12,version=9p2000.L,access=client,cache=loose,msize=65536,"
                        "aname=protected1");
  CHECK_THROWS_AS(plan9_mount(kHyperV, kWorkspace, ShareCaching::coherent, -1), std::invalid_argument);
}

TEST_CASE("vm plan9 mount: a share name cannot add mount options") {
  for (const GuestChannelOption& channel : {kQemu, kHyperV}) {
    CHECK_THROWS_AS(plan9_mount(channel, {.tag = "workspace,trans=tcp"}, ShareCaching::coherent, 3), std::invalid_argument);
    CHECK_THROWS_AS(plan9_mount(channel, {.tag = std::string("work\0space", 10)}, ShareCaching::coherent, 3),
                    std::invalid_argument);
    CHECK_THROWS_AS(plan9_mount(channel, {.tag = ""}, ShareCaching::coherent, 3), std::invalid_argument);
  }
}

}  // namespace
}  // namespace airlock::sandbox::vm
