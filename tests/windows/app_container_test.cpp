#include <doctest/doctest.h>

#include "sandbox/backend.h"
#include "sandbox/windows/app_container_profile.h"
#include "test_helpers.h"

using namespace airlock::sandbox;
using namespace airlock::sandbox::windows;
using namespace airlock::windows_tests;

TEST_CASE("windows appcontainer: where the profile API is missing, process isolation is unavailable, said clearly" *
          doctest::skip(!running_under_wine())) {
  // Wine's userenv.dll does not export CreateAppContainerProfile, like a Windows older than 8.
  CHECK_THROWS_WITH_AS(AppContainerProfile::create("airlock.test.missing"), doctest::Contains("AppContainer"),
                       SandboxUnavailable);
}

TEST_CASE("windows appcontainer: a profile is created with a SID and deleted with its owner" *
          doctest::skip(running_under_wine()) * doctest::description(kNeedsWindowsHost)) {
  const std::string name = "airlock.test." + std::to_string(::GetCurrentProcessId());
  {
    const AppContainerProfile profile = AppContainerProfile::create(name);
    REQUIRE(profile.sid() != nullptr);
    CHECK(::IsValidSid(profile.sid()));
  }
  // Deleted: creating it again succeeds as a new profile rather than taking over an old one.
  const AppContainerProfile again = AppContainerProfile::create(name);
  CHECK(::IsValidSid(again.sid()));
}
