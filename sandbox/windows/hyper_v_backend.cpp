#include <thread>

#include "sandbox/windows/compute_core.h"
#include "sandbox/windows/hyper_v_image.h"
#include "sandbox/windows/hyper_v_run.h"
#include "sandbox/windows/windows_backends.h"

namespace airlock::sandbox::windows {
namespace {

std::optional<std::string> compute_core_missing() {
  try {
    ComputeCore::load();
    return std::nullopt;
  } catch (const SandboxUnavailable& error) {
    return std::string(error.what());
  }
}

std::optional<std::string> image_missing() {
  const auto image = find_hyper_v_image();
  if (const auto* missing = std::get_if<std::string>(&image)) return *missing;
  return std::nullopt;
}

class HyperVBackend final : public Backend {
 public:
  Isolation isolation() const override { return Isolation::vm; }

  std::unique_ptr<Process> start(const LaunchSpec& spec) override {
    ComputeCore api = ComputeCore::load();
    auto image = find_hyper_v_image();
    if (const auto* missing = std::get_if<std::string>(&image)) throw SandboxUnavailable(*missing);
    return HyperVRun::start(std::move(api), spec,
                            {.image = std::get<GuestImage>(image), .host_processors = std::thread::hardware_concurrency()});
  }

  std::vector<ProtectionReport> probe() const override {
    const auto missing = compute_core_missing();
    const auto no_image = missing ? std::nullopt : image_missing();
    return {
        {.name = "Host Compute Service",
         .active = !missing,
         .detail = missing.value_or("computecore.dll has every call a utility VM needs")},
        {.name = "Hyper-V utility VM",
         .active = !missing && !no_image,
         .detail = missing    ? "needs the Host Compute Service"
                   : no_image ? *no_image
                              : "a utility VM per run, its guest agent reached over HvSocket, no network device"},
    };
  }

  std::optional<std::string> unavailable_reason() const override {
    if (auto missing = compute_core_missing()) return missing;
    return image_missing();
  }
};

}  // namespace

std::unique_ptr<Backend> make_hyper_v_backend() { return std::make_unique<HyperVBackend>(); }

}  // namespace airlock::sandbox::windows
