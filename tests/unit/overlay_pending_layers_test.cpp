// A session's pending layers: found by run id, released once, and bounded.

#include <doctest/doctest.h>

#include "server/overlay/pending_layers.h"

namespace airlock::server::overlay {
namespace {

std::shared_ptr<Layer> empty_layer() {
  return std::make_shared<Layer>(sandbox::UniqueFd(), sandbox::UniqueFd(), timespec{}, std::vector<std::string>{},
                                 std::vector<LayerChange>{});
}

TEST_CASE("overlay: pending layers are kept by run id and released once") {
  PendingLayers layers;
  auto layer = empty_layer();
  layers.keep("a", layer);
  CHECK(layers.find("a") == layer.get());
  CHECK(layers.find("b") == nullptr);
  CHECK(layers.release("a"));
  CHECK_FALSE(layers.release("a"));
  CHECK(layers.find("a") == nullptr);
}

TEST_CASE("overlay: beyond the cap the oldest pending layer is dropped") {
  PendingLayers layers;
  for (std::size_t index = 0; index <= PendingLayers::kMaxPendingLayers; ++index) {
    layers.keep("run-" + std::to_string(index), empty_layer());
  }
  CHECK(layers.size() == PendingLayers::kMaxPendingLayers);
  CHECK(layers.find("run-0") == nullptr);
  CHECK(layers.find("run-1") != nullptr);
  CHECK(layers.find("run-" + std::to_string(PendingLayers::kMaxPendingLayers)) != nullptr);
}

TEST_CASE("overlay: a layer forgets applied changes and finds the rest") {
  Layer layer(sandbox::UniqueFd(), sandbox::UniqueFd(), timespec{}, {},
              {{.path = "a"}, {.path = "a/b"}, {.path = "c", .kind = ChangeKind::deleted}});
  layer.forget({"a/b", "a"});
  REQUIRE(layer.changes().size() == 1);
  CHECK(layer.find("c") != nullptr);
  CHECK(layer.find("a") == nullptr);
}

}  // namespace
}  // namespace airlock::server::overlay
