#pragma once

// `airlock wsb`: a Windows Sandbox configuration (.wsb) for users who prefer to run a project by hand in Windows
// Sandbox. Networking, the virtual GPU, clipboard, printers, audio and video input are off; the workspace is mapped
// read-only onto the sandbox's desktop; a logon command opens it.

#include <cstdint>
#include <string>

#include "sandbox/windows/windows_path.h"

namespace airlock::sandbox::windows {

// Windows Sandbox always signs in as this account.
inline constexpr const char* kWindowsSandboxDesktop = "C:\\Users\\WDAGUtilityAccount\\Desktop";

struct WindowsSandboxRequest {
  WindowsPath workspace;
  std::int64_t memory_mb = 4096;
  std::string logon_command;  // empty: open the mapped folder in Explorer
};

// Where the workspace appears inside Windows Sandbox.
std::string windows_sandbox_folder(const WindowsPath& workspace);

// The .wsb XML document (UTF-8).
std::string windows_sandbox_config(const WindowsSandboxRequest& request);

}  // namespace airlock::sandbox::windows
