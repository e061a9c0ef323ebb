#pragma once

// Rebuilds an overlay run's layer on the host from the agent's layer frames, in overlayfs's own format (a deleted
// entry is a 0:0 character device, an opaque folder carries user.overlay.opaque = "y"), inside the layer folder
// and never outside it: every path is resolved beneath the folder without following any symlink.
// A full layer is not an error: the rest is dropped and the server, seeing a full layer, reports the disk limit.

#include <optional>
#include <string>

#include "sandbox/unique_fd.h"
#include "sandbox/vm/agent_session.h"

namespace airlock::sandbox::vm {

class LayerWriter final : public LayerSink {
 public:
  explicit LayerWriter(int layer_folder) : folder_(layer_folder) {}

  // Each returns why the frame is refused (the guest broke the protocol), or nullopt.
  std::optional<std::string> add(const LayerEntry& entry) override;
  std::optional<std::string> append(std::string_view bytes) override;

 private:
  int folder_;
  UniqueFd current_file_;
  bool full_ = false;
};

}  // namespace airlock::sandbox::vm
