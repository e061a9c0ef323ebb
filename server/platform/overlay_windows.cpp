// The overlay workspace on Windows. Linux's overlay runs write into an overlayfs layer that the server reviews
// afterwards; Windows has no overlayfs, and neither Windows backend can give a run such a layer yet. So an overlay
// run is refused before its sandbox exists, no layer is ever pending, and a request about one is answered the same
// way, with what to use instead.

#include "sandbox/backend.h"
#include "server/overlay/changed_file.h"
#include "server/overlay/layer_apply.h"
#include "server/overlay/layer_capture.h"
#include "server/request_error.h"

namespace airlock::server::overlay {
namespace {

constexpr const char* kOverlayUnavailable =
    "the overlay workspace is unavailable on Windows: it needs Linux's overlayfs. Fix: pass policy.workspace "
    "\"readonly\" (the program cannot write the project) or \"readwrite\" (its writes go straight through)";

}  // namespace

LayerCapture::LayerCapture(sandbox::LaunchSpec&) { throw sandbox::SandboxUnavailable(kOverlayUnavailable); }

std::shared_ptr<Layer> LayerCapture::collect(protocol::RunResult&, std::int64_t) { return nullptr; }

protocol::ApplyChangesResult apply_changes(const Layer&, const std::vector<std::string>&) {
  throw RequestError(protocol::ErrorCode::SandboxUnavailable, kOverlayUnavailable);
}

protocol::ReadChangedFileResult read_changed_file(const Layer&, const LayerChange&) {
  throw RequestError(protocol::ErrorCode::SandboxUnavailable, kOverlayUnavailable);
}

}  // namespace airlock::server::overlay
