#include "sandbox/windows/acl_grant.h"

#include <aclapi.h>

#include <memory>
#include <utility>

#include "sandbox/windows/utf16.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

static_assert(file_rights::read_data == FILE_READ_DATA && file_rights::write_data == FILE_WRITE_DATA &&
              file_rights::append_data == FILE_APPEND_DATA && file_rights::read_ea == FILE_READ_EA &&
              file_rights::write_ea == FILE_WRITE_EA && file_rights::execute == FILE_EXECUTE &&
              file_rights::delete_child == FILE_DELETE_CHILD && file_rights::read_attributes == FILE_READ_ATTRIBUTES &&
              file_rights::write_attributes == FILE_WRITE_ATTRIBUTES && file_rights::delete_object == DELETE &&
              file_rights::read_control == READ_CONTROL && file_rights::write_dac == WRITE_DAC &&
              file_rights::write_owner == WRITE_OWNER && file_rights::synchronize == SYNCHRONIZE);

struct LocalFreeDeleter {
  void operator()(void* memory) const { ::LocalFree(memory); }
};

// Merges one entry for sid into path's DACL the way Explorer's security tab does: an explicit entry, ordered
// before inherited ones, then inherited by the folder's contents.
DWORD change_dacl(const WindowsPath& path, PSID sid, ACCESS_MODE mode, DWORD rights) {
  std::wstring wide = to_utf16(path.str());
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  DWORD error = ::GetNamedSecurityInfoW(wide.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr,
                                        &dacl, nullptr, &descriptor);
  if (error != ERROR_SUCCESS) return error;
  const std::unique_ptr<void, LocalFreeDeleter> descriptor_owner(descriptor);

  EXPLICIT_ACCESSW access{};
  access.grfAccessPermissions = rights;
  access.grfAccessMode = mode;
  access.grfInheritance = SUB_CONTAINERS_AND_OBJECTS_INHERIT;
  access.Trustee.TrusteeForm = TRUSTEE_IS_SID;
  access.Trustee.TrusteeType = TRUSTEE_IS_UNKNOWN;
  access.Trustee.ptstrName = static_cast<LPWSTR>(sid);
  PACL changed = nullptr;
  error = ::SetEntriesInAclW(1, &access, dacl, &changed);
  if (error != ERROR_SUCCESS) return error;
  const std::unique_ptr<void, LocalFreeDeleter> changed_owner(changed);
  return ::SetNamedSecurityInfoW(wide.data(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr, changed,
                                 nullptr);
}

}  // namespace

AclGrant::AclGrant(const WindowsPath& path, PSID sid, AccessEntry entry) : path_(path), sid_(sid) {
  const DWORD error =
      change_dacl(path, sid, entry.mode == AccessEntry::Mode::grant ? GRANT_ACCESS : DENY_ACCESS, entry.rights);
  if (error != ERROR_SUCCESS)
    throw WindowsError("SetNamedSecurityInfoW(" + path.str() + ")", error,
                       "the server's user must be allowed to change the folder's permissions (WRITE_DAC); check the "
                       "folder's owner and the permissions of the workspace");
}

AclGrant::AclGrant(AclGrant&& other) noexcept : path_(other.path_), sid_(std::exchange(other.sid_, nullptr)) {}

AclGrant::~AclGrant() {
  // Best effort: a folder deleted during the run has no entry left to remove.
  if (sid_) change_dacl(path_, sid_, REVOKE_ACCESS, 0);
}

}  // namespace airlock::sandbox::windows
