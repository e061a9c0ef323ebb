#pragma once

namespace airlock::sandbox::linux_backend {

// The host's system folders, as links or folders as the host has them (usr-merged or not). The root plan shows
// them read-only in every sandbox; Landlock lets programs read and execute beneath them.
inline constexpr const char* kSystemFolders[] = {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"};

}  // namespace airlock::sandbox::linux_backend
