#pragma once

// A run's own AppContainer profile: created with no capabilities (so no network, no user libraries, no devices),
// its SID named in ACLs for exactly the folders the run may use, and deleted with the run. The profile API
// (userenv.dll) is loaded at run time, so a Windows without it gets a clear -32010 instead of a loader failure.

#include <windows.h>

#include <optional>
#include <string>

#include "sandbox/windows/system_library.h"

namespace airlock::sandbox::windows {

class AppContainerProfile {
 public:
  // name: unique per run (e.g. "airlock.run.<pid>.<n>"). Throws SandboxUnavailable when AppContainers are not
  // available here, WindowsError when creating this profile fails.
  static AppContainerProfile create(const std::string& name);
  // Why AppContainers cannot be used on this system (with the fix), or nullopt when the profile API is there.
  static std::optional<std::string> unavailable_reason();
  AppContainerProfile(AppContainerProfile&& other) noexcept;
  AppContainerProfile& operator=(AppContainerProfile&&) = delete;
  AppContainerProfile(const AppContainerProfile&) = delete;
  AppContainerProfile& operator=(const AppContainerProfile&) = delete;
  ~AppContainerProfile();  // frees the SID and deletes the profile

  PSID sid() const { return sid_; }
  const std::wstring& name() const { return name_; }

 private:
  using DeleteProfileFunction = HRESULT WINAPI(PCWSTR);
  AppContainerProfile(SystemLibrary library, DeleteProfileFunction* delete_profile, std::wstring name, PSID sid)
      : library_(std::move(library)), delete_profile_(delete_profile), name_(std::move(name)), sid_(sid) {}

  SystemLibrary library_;
  DeleteProfileFunction* delete_profile_;
  std::wstring name_;
  PSID sid_ = nullptr;
};

}  // namespace airlock::sandbox::windows
