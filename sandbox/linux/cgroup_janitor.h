#pragma once

// Runs' cgroups outlive a server that is killed (SIGKILL runs no destructor), so a server that creates them
// starts a janitor first: a small process of its own session that waits for end of file on a pipe only the
// server (and processes it forks) holds, then removes the groups whose server is gone, once their sandboxes,
// which die with the server, have left them. A server starting up sweeps the same way, for a janitor that was
// killed along with its server.

#include <sys/types.h>

#include <string>
#include <vector>

namespace airlock::sandbox::linux_backend {

// Removes the empty groups of `folder` named kRunCgroupPrefix<pid>-<n> whose process <pid> no longer exists.
// `ended_server` counts as gone even while it is a zombie its parent has not reaped yet: the janitor knows its
// server has ended before the pid is released. Returns how many such groups are still busy (their sandboxes are
// still being torn down). Allocates nothing.
int remove_abandoned_groups(const char* folder, pid_t ended_server = 0);

// Starts the janitor for groups in `folders`. Once per process; the janitor is not a child the caller reaps.
// Returns why it could not be started, or an empty string.
std::string start_cgroup_janitor(const std::vector<std::string>& folders);

}  // namespace airlock::sandbox::linux_backend
