#include <doctest/doctest.h>

#include "sandbox/backend.h"
#include "sandbox/windows/compute_core.h"
#include "test_helpers.h"

using namespace airlock::sandbox;
using namespace airlock::sandbox::windows;
using namespace airlock::windows_tests;

TEST_CASE("windows hcs: without computecore.dll, Hyper-V isolation is unavailable with the cause and the fix" *
          doctest::skip(!running_under_wine())) {
  // Wine has no computecore.dll: exactly the situation of a Windows without Hyper-V's management API.
  CHECK_THROWS_WITH_AS(ComputeCore::load(), doctest::Contains("computecore.dll"), SandboxUnavailable);
  try {
    ComputeCore::load();
  } catch (const SandboxUnavailable& error) {
    CHECK(std::string(error.what()).find("error 126") != std::string::npos);
    CHECK(std::string(error.what()).find("Fix:") != std::string::npos);
  }
}

TEST_SUITE("hyper-v") {
  TEST_CASE("windows hcs: computecore.dll loads with every call the utility VM needs" *
            doctest::skip(running_under_wine()) * doctest::description(kNeedsWindowsHost)) {
    const ComputeCore api = ComputeCore::load();
    CHECK(static_cast<bool>(api.create_compute_system));
    CHECK(static_cast<bool>(api.cancel_operation));
  }
}
