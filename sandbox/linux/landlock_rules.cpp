#include "sandbox/linux/landlock_rules.h"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux/system_folders.h"
#include "sandbox/unique_fd.h"

namespace airlock::sandbox::linux_backend {
namespace {

// Rights newer than the uapi header of Debian 12 (Linux 6.1), numbered as in the kernel's ABI.
constexpr std::uint64_t kAccessTruncate = 1ULL << 14;   // ABI 3
constexpr std::uint64_t kAccessIoctlDev = 1ULL << 15;   // ABI 5
constexpr std::uint64_t kAccessResolveUnix = 1ULL << 16;  // ABI 9
constexpr std::uint64_t kScopeAbstractUnixSocket = 1ULL << 0;  // ABI 6
constexpr std::uint64_t kScopeSignal = 1ULL << 1;              // ABI 6

// The ruleset attribute as of ABI 6. Older kernels take it too: they only require the fields they do not know
// to be zero, which they are on those kernels.
struct RulesetAttr {
  std::uint64_t handled_access_fs = 0;
  std::uint64_t handled_access_net = 0;
  std::uint64_t scoped = 0;
};

constexpr std::uint64_t kRead = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
constexpr std::uint64_t kReadExecute = kRead | LANDLOCK_ACCESS_FS_EXECUTE;
// Everything a program does in a folder of its own, except creating device nodes.
constexpr std::uint64_t kWrite = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
                                 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR |
                                 LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |
                                 LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_SYM |
                                 LANDLOCK_ACCESS_FS_REFER | kAccessTruncate;
// /dev holds only the harmless devices the root plan binds: read, write and ioctl them, create nothing. Its shm
// is a link into /tmp.
constexpr std::uint64_t kDevices = kRead | LANDLOCK_ACCESS_FS_WRITE_FILE | kAccessTruncate | kAccessIoctlDev;

std::uint64_t scoped_by(int abi) { return abi >= 6 ? kScopeAbstractUnixSocket | kScopeSignal : 0; }

int ask_abi() {
  const long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  return abi > 0 ? static_cast<int>(abi) : 0;
}

}  // namespace

std::uint64_t landlock_handled_access(int abi) {
  if (abi < 1) return 0;
  std::uint64_t handled = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;  // ABI 1: execute ... make_sym
  if (abi >= 2) handled |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3) handled |= kAccessTruncate;
  if (abi >= 5) handled |= kAccessIoctlDev;
  // Handled and granted by no rule: connect() and sendmsg() reach only the sockets the sandbox made itself, not
  // a host service's socket that lies in the workspace (bind mounts carry sockets along, read-only or not).
  if (abi >= 9) handled |= kAccessResolveUnix;
  return handled;
}

int landlock_abi() {
  static const int abi = ask_abi();
  return abi;
}

std::string describe_landlock(int abi) {
  std::string rights = "execute, read, write and create";
  if (abi >= 2) rights += ", move across folders";
  if (abi >= 3) rights += ", truncate";
  if (abi >= 5) rights += ", device ioctl";
  std::string text = "ABI " + std::to_string(abi) + ": " + rights +
                     " only where the sandbox's rules allow (system folders read and execute, workspace per its "
                     "mode, /tmp writable)";
  text += abi >= 6 ? "; abstract unix sockets and signals do not reach outside the sandbox"
                   : "; no scoping of abstract unix sockets and signals (needs ABI 6)";
  return text + (abi >= 9 ? "; connecting to a pathname unix socket the sandbox did not create is refused"
                          : "; pathname unix sockets in a bind-mounted workspace stay reachable (refusing them needs "
                            "ABI 9)");
}

LandlockPlan plan_landlock(const Policy& policy) {
  LandlockPlan plan{.abi = landlock_abi()};
  if (plan.abi == 0) return plan;
  plan.handled_access_fs = landlock_handled_access(plan.abi);
  plan.scoped = scoped_by(plan.abi);
  auto allow = [&](std::string path, std::uint64_t access) {
    plan.rules.push_back({.path = std::move(path), .access = access & plan.handled_access_fs});
  };
  // Listing folders reveals nothing the mounts do not already show; reading files stays per folder.
  allow("/", LANDLOCK_ACCESS_FS_READ_DIR);
  for (const char* folder : kSystemFolders) allow(folder, kReadExecute);
  allow("/etc", kRead);
  allow(kSandboxFilesDir, kReadExecute);
  allow("/proc", kRead | LANDLOCK_ACCESS_FS_WRITE_FILE);
  allow("/dev", kDevices);
  allow("/tmp", kReadExecute | kWrite);
  if (!policy.workspace.empty()) {
    const bool writable = policy.workspace_mode != WorkspaceMode::readonly;
    allow(policy.workspace.string(), writable ? kReadExecute | kWrite : kReadExecute);
  }
  return plan;
}

bool restrict_filesystem_access(const LandlockPlan& plan, ChildFailure& failure) {
  if (plan.abi == 0) return true;
  const RulesetAttr attr{.handled_access_fs = plan.handled_access_fs, .scoped = plan.scoped};
  UniqueFd ruleset(static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0)));
  if (!ruleset) return fail(failure, errno, "landlock_create_ruleset", "creating the Landlock ruleset");
  for (const auto& rule : plan.rules) {
    UniqueFd folder(::open(rule.path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!folder && errno == ENOENT) continue;
    if (!folder) return fail(failure, errno, "open", "opening %s for its Landlock rule", rule.path.c_str());
    const landlock_path_beneath_attr beneath{.allowed_access = rule.access, .parent_fd = folder.get()};
    if (::syscall(SYS_landlock_add_rule, ruleset.get(), LANDLOCK_RULE_PATH_BENEATH, &beneath, 0) != 0) {
      return fail(failure, errno, "landlock_add_rule", "allowing access beneath %s", rule.path.c_str());
    }
  }
  if (::syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0) {
    return fail(failure, errno, "landlock_restrict_self", "restricting the sandbox's filesystem access");
  }
  return true;
}

}  // namespace airlock::sandbox::linux_backend
