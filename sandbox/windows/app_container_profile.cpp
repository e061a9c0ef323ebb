#include "sandbox/windows/app_container_profile.h"

#include <userenv.h>

#include "sandbox/backend.h"
#include "sandbox/windows/utf16.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

constexpr const char* kFix = "use Windows 8 or later (AppContainers are part of Windows since then), or isolation \"vm\"";

std::optional<std::string> profile_api_missing(const SystemLibrary& library) {
  if (!library.loaded())
    return "process isolation is unavailable: userenv.dll could not be loaded (Windows error " +
           std::to_string(library.error()) + "). Fix: " + kFix + ".";
  for (const char* name : {"CreateAppContainerProfile", "DeleteAppContainerProfile",
                           "DeriveAppContainerSidFromAppContainerName"})
    if (!library.find<void()>(name))
      return "process isolation is unavailable: this system has no AppContainer profile API (userenv.dll lacks " +
             std::string(name) + "). Fix: " + kFix + ".";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> AppContainerProfile::unavailable_reason() {
  return profile_api_missing(SystemLibrary(L"userenv.dll"));
}

AppContainerProfile AppContainerProfile::create(const std::string& name) {
  SystemLibrary library(L"userenv.dll");
  if (auto missing = profile_api_missing(library)) throw SandboxUnavailable(*missing);
  auto* create_profile = library.find<decltype(::CreateAppContainerProfile)>("CreateAppContainerProfile");
  auto* delete_profile = library.find<DeleteProfileFunction>("DeleteAppContainerProfile");
  auto* derive_sid =
      library.find<decltype(::DeriveAppContainerSidFromAppContainerName)>("DeriveAppContainerSidFromAppContainerName");

  const std::wstring wide_name = to_utf16(name);
  PSID sid = nullptr;
  HRESULT result = create_profile(wide_name.c_str(), wide_name.c_str(), L"Airlock sandboxed run", nullptr, 0, &sid);
  if (result == HRESULT_FROM_WIN32(ERROR_ALREADY_EXISTS)) {
    // Left behind by a server that died; the name is this run's now, so the old profile is taken over.
    result = derive_sid(wide_name.c_str(), &sid);
  }
  if (FAILED(result)) throw WindowsError("CreateAppContainerProfile(" + name + ")", static_cast<DWORD>(result));
  return AppContainerProfile(std::move(library), delete_profile, wide_name, sid);
}

AppContainerProfile::AppContainerProfile(AppContainerProfile&& other) noexcept
    : library_(std::move(other.library_)),
      delete_profile_(other.delete_profile_),
      name_(std::move(other.name_)),
      sid_(std::exchange(other.sid_, nullptr)) {}

AppContainerProfile::~AppContainerProfile() {
  if (!sid_) return;
  ::FreeSid(sid_);
  delete_profile_(name_.c_str());
}

}  // namespace airlock::sandbox::windows
