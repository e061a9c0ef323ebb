#include "sandbox/vm/plan9_mount.h"

#include <stdexcept>

namespace airlock::sandbox::vm {
namespace {

// virtio moves large messages cheaply; Hyper-V's server takes at most kPlan9VsockMessageBytes.
constexpr const char* kVirtioMessageBytes = "512000";

const char* cache_option(ShareCaching caching) {
  return caching == ShareCaching::cached ? "cache=loose" : "cache=mmap";
}

}  // namespace

Plan9Mount plan9_mount(const GuestChannelOption& channel, const GuestShare& share, ShareCaching caching,
                       int connection_fd) {
  if (share.tag.empty() || share.tag.find_first_of(",\0", 0, 2) != std::string::npos)
    throw std::invalid_argument("guest agent: the share name \"" + share.tag + "\" is empty or holds a comma");
  const std::string common = std::string("version=9p2000.L,access=client,") + cache_option(caching);
  if (channel.kind == GuestChannelOption::Kind::virtio_serial)
    return {.source = share.tag, .options = "trans=virtio," + common + ",msize=" + kVirtioMessageBytes};
  if (connection_fd < 0) throw std::invalid_argument("guest agent: a Plan9 share over vsock needs its connection");
  const std::string fd = std::to_string(connection_fd);
  return {.source = share.tag,
          .options = "trans=fd,rfdno=" + fd + ",wfdno=" + fd + "," + common +
                     ",msize=" + std::to_string(kPlan9VsockMessageBytes) + ",aname=" + share.tag};
}

}  // namespace airlock::sandbox::vm
