#include "sandbox/linux/sandbox_identity.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "sandbox/backend.h"

namespace airlock::sandbox::linux_backend {
namespace {

void write_proc_file(pid_t child, const char* name, const std::string& content) {
  const std::string path = "/proc/" + std::to_string(child) + "/" + name;
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) {
    throw SandboxUnavailable("user namespace: open(" + path + ") failed: " + std::strerror(errno));
  }
  if (::write(fd.get(), content.data(), content.size()) != static_cast<ssize_t>(content.size())) {
    throw SandboxUnavailable("user namespace: writing \"" + content.substr(0, content.size() - 1) + "\" to " +
                             path + " failed: " + std::strerror(errno) +
                             ". The server needs CAP_SETUID/CAP_SETGID to map an id other than its own.");
  }
}

}  // namespace

SandboxIdentity choose_sandbox_identity(const std::filesystem::path& workspace) {
  if (::geteuid() != 0) {
    return {.uid = ::geteuid(), .gid = ::getegid(), .server_is_privileged = false};
  }
  SandboxIdentity identity{.server_is_privileged = true};
  struct stat info {};
  if (!workspace.empty() && ::stat(workspace.c_str(), &info) == 0) {
    if (info.st_uid != 0) identity.uid = info.st_uid;
    if (info.st_gid != 0) identity.gid = info.st_gid;
  }
  return identity;
}

void write_id_maps(pid_t child, const SandboxIdentity& identity) {
  if (!identity.server_is_privileged) write_proc_file(child, "setgroups", "deny\n");
  write_proc_file(child, "uid_map", std::to_string(identity.uid) + " " + std::to_string(identity.uid) + " 1\n");
  write_proc_file(child, "gid_map", std::to_string(identity.gid) + " " + std::to_string(identity.gid) + " 1\n");
}

// The system calls themselves, not glibc's wrappers: those apply the change to every thread of the process they
// know of, and the init, cloned without glibc's fork, still lists the server's threads. glibc signals each of
// them and waits forever for one that was starting at the moment of the clone.
bool become_sandbox_user(const SandboxIdentity& identity, ChildFailure& failure) {
  if (identity.server_is_privileged && ::syscall(SYS_setgroups, 0, nullptr) != 0) {
    return fail(failure, errno, "setgroups", "dropping supplementary groups");
  }
  if (::syscall(SYS_setresgid, identity.gid, identity.gid, identity.gid) != 0) {
    return fail(failure, errno, "setresgid", "switching to gid %u", static_cast<unsigned>(identity.gid));
  }
  if (::syscall(SYS_setresuid, identity.uid, identity.uid, identity.uid) != 0) {
    return fail(failure, errno, "setresuid", "switching to uid %u", static_cast<unsigned>(identity.uid));
  }
  return true;
}

}  // namespace airlock::sandbox::linux_backend
