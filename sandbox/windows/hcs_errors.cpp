#include "sandbox/windows/hcs_errors.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace airlock::sandbox::windows {
namespace {

constexpr std::uint32_t kErrorModNotFound = 126;
constexpr std::uint32_t kErrorProcNotFound = 127;
// A result document is untrusted text from a system service: only this much of its message is quoted.
constexpr std::size_t kMaxQuotedMessage = 512;

std::string hex(std::uint32_t code) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(code));
  return text;
}

struct Explanation {
  const char* cause;
  const char* fix;
};

Explanation explain(std::uint32_t hresult) {
  switch (hresult) {
    case hcs_result::hyperv_not_installed:
      return {"Hyper-V is not enabled on this machine",
              "enable the \"Hyper-V\" and \"Virtual Machine Platform\" Windows features (Windows 10/11 Pro, Enterprise "
              "or Education; virtualization must be on in the firmware), restart, or use isolation \"process\""};
    case hcs_result::access_denied:
    case hcs_result::win32_access_denied:
      return {"this user may not create Hyper-V virtual machines",
              "add the user to the \"Hyper-V Administrators\" group and sign in again, or use isolation \"process\""};
    case hcs_result::service_not_available:
      return {"the Host Compute Service (vmcompute) is not running",
              "start it with \"sc start vmcompute\" (as administrator), or use isolation \"process\""};
    case hcs_result::operation_timeout:
      return {"the Host Compute Service did not finish in time",
              "check that the machine is not overloaded and that other Hyper-V VMs start, then retry"};
    case hcs_result::invalid_json:
      return {"the Host Compute Service rejected the VM description",
              "this Windows build may be too old for HCS schema 2.1: update Windows (1809 or later is required)"};
    case hcs_result::unexpected_exit:
    case hcs_result::terminated:
      return {"the utility VM stopped unexpectedly",
              "check that the guest kernel and initramfs next to airlock.exe are intact, then retry"};
    default:
      return {"the Host Compute Service reported an error", "run \"airlock doctor\" to see what this host provides"};
  }
}

std::string quoted_error(std::string_view result_document) {
  if (result_document.empty()) return {};
  const auto document = nlohmann::json::parse(result_document, nullptr, false);
  if (!document.is_object()) return {};
  std::string message;
  if (const auto it = document.find("ErrorMessage"); it != document.end() && it->is_string()) {
    message = it->get<std::string>();
  } else if (const auto events = document.find("ErrorEvents"); events != document.end() && events->is_array() &&
                                                               !events->empty() && events->front().is_object()) {
    const auto& first = events->front();
    if (const auto text = first.find("Message"); text != first.end() && text->is_string()) message = text->get<std::string>();
  }
  if (message.size() > kMaxQuotedMessage) message = message.substr(0, kMaxQuotedMessage) + "...";
  return message;
}

}  // namespace

std::string computecore_unavailable_message(std::uint32_t win32_error, std::string_view missing_function) {
  if (win32_error == kErrorModNotFound)
    return "Hyper-V isolation is unavailable: computecore.dll (the Host Compute Service API) is not on this system "
           "(Windows error 126). Fix: use Windows 10 1809 / Server 2019 or later with the \"Hyper-V\" and \"Virtual "
           "Machine Platform\" features enabled, or use isolation \"process\".";
  if (win32_error == kErrorProcNotFound)
    return "Hyper-V isolation is unavailable: computecore.dll lacks " + std::string(missing_function) +
           " (Windows error 127): this Windows build is too old. Fix: update Windows, or use isolation \"process\".";
  return "Hyper-V isolation is unavailable: computecore.dll could not be loaded (Windows error " +
         std::to_string(win32_error) + "). Fix: run \"airlock doctor\", or use isolation \"process\".";
}

std::string hcs_failure_message(std::string_view operation, std::uint32_t hresult, std::string_view result_document) {
  const Explanation explanation = explain(hresult);
  std::string message = "Hyper-V isolation failed: " + std::string(operation) + ": " + explanation.cause + " (HRESULT " +
                        hex(hresult) + ")";
  if (const std::string detail = quoted_error(result_document); !detail.empty()) message += ": \"" + detail + "\"";
  return message + ". Fix: " + explanation.fix + ".";
}

}  // namespace airlock::sandbox::windows
