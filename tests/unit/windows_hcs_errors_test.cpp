#include <doctest/doctest.h>

#include "sandbox/windows/hcs_errors.h"

using namespace airlock::sandbox::windows;

TEST_CASE("windows hcs errors: a missing computecore.dll says so and how to fix it") {
  const std::string missing = computecore_unavailable_message(126);
  CHECK(missing.find("computecore.dll") != std::string::npos);
  CHECK(missing.find("error 126") != std::string::npos);
  CHECK(missing.find("Fix:") != std::string::npos);
  const std::string old = computecore_unavailable_message(127, "HcsCreateComputeSystem");
  CHECK(old.find("lacks HcsCreateComputeSystem") != std::string::npos);
  CHECK(computecore_unavailable_message(5).find("error 5") != std::string::npos);
}

TEST_CASE("windows hcs errors: Hyper-V missing and access denied have their own fixes") {
  const std::string no_hyperv = hcs_failure_message("create the VM", hcs_result::hyperv_not_installed, "");
  CHECK(no_hyperv.find("Hyper-V is not enabled") != std::string::npos);
  CHECK(no_hyperv.find("0x80370102") != std::string::npos);
  CHECK(no_hyperv.find("Virtual Machine Platform") != std::string::npos);
  const std::string denied = hcs_failure_message("create the VM", hcs_result::access_denied, "");
  CHECK(denied.find("Hyper-V Administrators") != std::string::npos);
  CHECK(denied.find("0x8037011B") != std::string::npos);
  CHECK(hcs_failure_message("start", hcs_result::win32_access_denied, "").find("Hyper-V Administrators") !=
        std::string::npos);
  CHECK(hcs_failure_message("start", 0x80004005, "").find("airlock doctor") != std::string::npos);
}

TEST_CASE("windows hcs errors: the result document's message is quoted, bounded, and garbage is ignored") {
  CHECK(hcs_failure_message("start", hcs_result::invalid_json, R"({"ErrorMessage":"bad Plan9 share"})")
            .find("\"bad Plan9 share\"") != std::string::npos);
  CHECK(hcs_failure_message("start", hcs_result::invalid_json, R"({"ErrorEvents":[{"Message":"no kernel"}]})")
            .find("\"no kernel\"") != std::string::npos);
  const std::string huge = hcs_failure_message(
      "start", hcs_result::terminated, "{\"ErrorMessage\":\"" + std::string(10000, 'x') + "\"}");
  CHECK(huge.size() < 1200);
  for (const char* garbage : {"{", "[]", "null", R"({"ErrorMessage":7})", R"({"ErrorEvents":[1]})"}) {
    CAPTURE(garbage);
    const std::string message = hcs_failure_message("start", hcs_result::terminated, garbage);
    CHECK(message.find("stopped unexpectedly") != std::string::npos);
    CHECK(message.find(": \"") == std::string::npos);
  }
}
