#include <doctest/doctest.h>

#include <aclapi.h>

#include <filesystem>
#include <optional>

#include "sandbox/windows/acl_grant.h"
#include "sandbox/windows/utf16.h"
#include "test_helpers.h"

using namespace airlock::sandbox::windows;
using namespace airlock::windows_tests;

namespace {

// A SID no account has (S-1-5-21-1-2-3-4242), standing in for a run's AppContainer SID.
class TestSid {
 public:
  TestSid() {
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    REQUIRE(::AllocateAndInitializeSid(&nt, 5, 21, 1, 2, 3, 4242, 0, 0, 0, &sid_));
  }
  ~TestSid() { ::FreeSid(sid_); }
  PSID get() const { return sid_; }

 private:
  PSID sid_ = nullptr;
};

struct FoundEntry {
  BYTE type;
  ACCESS_MASK mask;
  BYTE flags;
};

// The explicit (not inherited) entry naming sid in folder's DACL.
std::optional<FoundEntry> explicit_entry(const std::filesystem::path& folder, PSID sid) {
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  REQUIRE(::GetNamedSecurityInfoW(folder.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr, &dacl,
                                  nullptr, &descriptor) == ERROR_SUCCESS);
  std::optional<FoundEntry> found;
  for (DWORD i = 0; dacl && i < dacl->AceCount; ++i) {
    void* entry = nullptr;
    REQUIRE(::GetAce(dacl, i, &entry));
    const auto* header = static_cast<ACE_HEADER*>(entry);
    if (header->AceFlags & INHERITED_ACE) continue;
    // Allowed and denied entries share their layout: header, mask, then the SID.
    const auto* allowed = static_cast<ACCESS_ALLOWED_ACE*>(entry);
    if ((header->AceType == ACCESS_ALLOWED_ACE_TYPE || header->AceType == ACCESS_DENIED_ACE_TYPE) &&
        ::EqualSid(const_cast<DWORD*>(&allowed->SidStart), sid))
      found = FoundEntry{header->AceType, allowed->Mask, header->AceFlags};
  }
  ::LocalFree(descriptor);
  return found;
}

}  // namespace

// Wine accepts SetNamedSecurityInfoW on files but keeps no entry: it derives a file's DACL from its Unix mode.
TEST_CASE("windows acl: a grant adds one inherited entry for the SID, and its end removes it" *
          doctest::skip(running_under_wine()) * doctest::description(kNeedsWindowsHost)) {
  wchar_t temp[MAX_PATH + 1];
  const DWORD length = ::GetTempPathW(MAX_PATH + 1, temp);
  const std::filesystem::path folder =
      std::filesystem::path(std::wstring(temp, length)) / (L"airlock-acl-" + std::to_wstring(::GetCurrentProcessId()));
  std::filesystem::create_directories(folder);
  const WindowsPath path = *WindowsPath::parse(to_utf8(folder.wstring()));
  const TestSid sid;
  for (const auto kind : {AccessRule::Kind::allow_read_write, AccessRule::Kind::deny_write}) {
    const AccessEntry wanted = access_entry_for(kind);
    {
      const AclGrant grant(path, sid.get(), wanted);
      const auto entry = explicit_entry(folder, sid.get());
      REQUIRE(entry);
      CHECK(entry->type == (wanted.mode == AccessEntry::Mode::grant ? ACCESS_ALLOWED_ACE_TYPE : ACCESS_DENIED_ACE_TYPE));
      CHECK(entry->mask == wanted.rights);
      CHECK((entry->flags & (OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE)) == (OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE));
    }
    CHECK_FALSE(explicit_entry(folder, sid.get()));
  }
  std::filesystem::remove_all(folder);
}
