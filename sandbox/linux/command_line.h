#pragma once

// The sandbox's init is a fork of the server, never an exec of anything: without this, a program in the sandbox
// would read the server's command line (host paths, its log file) in /proc/1/cmdline, which anyone may read.

#include <string_view>

namespace airlock::sandbox::linux_backend {

// Overwrites this process's command line, in place, with `title` (cut to the room the old one had). Allocates
// nothing, so the forked init may call it. False when /proc/self/stat could not be read or parsed.
bool replace_own_command_line(std::string_view title);

}  // namespace airlock::sandbox::linux_backend
