#pragma once

// Which folders a run's AppContainer may use, and how: an AppContainer can open nothing on the file system unless
// an ACL names its SID, so each rule becomes an access entry added for the run and removed afterwards.

#include <cstdint>
#include <string>
#include <vector>

#include "sandbox/policy.h"
#include "sandbox/windows/windows_path.h"

namespace airlock::sandbox::windows {

struct AccessRule {
  enum class Kind {
    allow_read,        // read and execute, inherited by everything below
    allow_read_write,  // read, write, execute, delete, inherited
    deny_write,        // an explicit deny of every kind of write, inherited; wins over inherited allows
  };
  WindowsPath path;
  Kind kind = Kind::allow_read;
  bool operator==(const AccessRule& other) const { return path.str() == other.path.str() && kind == other.kind; }
};

// Windows file-access rights (winnt.h), as numbers so that the entries are derived and tested on every platform;
// acl_grant.cpp checks them against the SDK's names.
namespace file_rights {
inline constexpr std::uint32_t read_data = 0x0001;        // FILE_READ_DATA / FILE_LIST_DIRECTORY
inline constexpr std::uint32_t write_data = 0x0002;       // FILE_WRITE_DATA / FILE_ADD_FILE
inline constexpr std::uint32_t append_data = 0x0004;      // FILE_APPEND_DATA / FILE_ADD_SUBDIRECTORY
inline constexpr std::uint32_t read_ea = 0x0008;
inline constexpr std::uint32_t write_ea = 0x0010;
inline constexpr std::uint32_t execute = 0x0020;          // FILE_EXECUTE / FILE_TRAVERSE
inline constexpr std::uint32_t delete_child = 0x0040;
inline constexpr std::uint32_t read_attributes = 0x0080;
inline constexpr std::uint32_t write_attributes = 0x0100;
inline constexpr std::uint32_t delete_object = 0x00010000;  // DELETE
inline constexpr std::uint32_t read_control = 0x00020000;
inline constexpr std::uint32_t write_dac = 0x00040000;
inline constexpr std::uint32_t write_owner = 0x00080000;
inline constexpr std::uint32_t synchronize = 0x00100000;
}  // namespace file_rights

// One access entry for the run's AppContainer SID on a rule's folder, inherited by every file and folder below it.
struct AccessEntry {
  enum class Mode { grant, deny };
  Mode mode = Mode::grant;
  std::uint32_t rights = 0;
  bool operator==(const AccessEntry&) const = default;
};

// Read: list, read, execute, with the attributes and security a program reads to open a file. Read-write adds
// creating, writing and deleting, but never changing the folder's permissions or owner. Deny-write refuses exactly
// the writing rights; never READ_CONTROL or SYNCHRONIZE, which reads need too.
AccessEntry access_entry_for(AccessRule::Kind kind);

// Rules for the workspace (per policy), its protected paths that exist (read-only in every mode) and the run's
// scratch folder (snippets and build outputs, read-write). Throws SandboxUnavailable for what process isolation on
// Windows cannot provide yet (workspace "overlay", network "host").
std::vector<AccessRule> workspace_access_rules(const Policy& policy,
                                               const std::vector<std::string>& existing_protected_paths,
                                               const WindowsPath& scratch);

}  // namespace airlock::sandbox::windows
