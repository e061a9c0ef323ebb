// The janitor that removes a server's run cgroups once the server is gone, however it ended. Plain folders stand
// in for the groups: the janitor only reads names and removes empty folders.

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "sandbox/linux/cgroup_janitor.h"
#include "sandbox/linux/cgroup_placement.h"
#include "sandbox_test_support.h"

namespace airlock::sandbox::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string group_of(pid_t server) {
  return std::string(linux_backend::kRunCgroupPrefix) + std::to_string(server) + "-0";
}

pid_t pid_of_an_ended_process() {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) ::_exit(0);
  REQUIRE(::waitpid(child, nullptr, 0) == child);
  return child;
}

TEST_CASE("sandbox: the cgroup janitor removes the groups of servers that are gone, once its own is gone") {
  TempWorkspace folder;
  int end_server[2];
  REQUIRE(::pipe(end_server) == 0);
  const pid_t server = ::fork();
  REQUIRE(server >= 0);
  if (server == 0) {
    ::close(end_server[1]);
    const bool started = linux_backend::start_cgroup_janitor({folder.path().string()}).empty();
    char byte;
    // Dies abruptly, like a killed server.
    ::_exit(started && ::read(end_server[0], &byte, 1) == 0 ? 0 : 1);
  }
  ::close(end_server[0]);
  const std::string abandoned = group_of(pid_of_an_ended_process());
  for (const auto& name : {group_of(server), abandoned, group_of(::getpid()), std::string("unrelated")}) {
    fs::create_directory(folder.path() / name);
  }

  // While the server lives, the janitor waits.
  std::this_thread::sleep_for(200ms);
  CHECK(fs::exists(folder.path() / group_of(server)));
  CHECK(fs::exists(folder.path() / abandoned));

  // The server's parent has not reaped it yet: a zombie's groups are removed all the same.
  ::close(end_server[1]);
  // One sweep removes both, in the order the folder lists them.
  CHECK(wait_until([&] { return !fs::exists(folder.path() / group_of(server)); }, 5s));
  CHECK(wait_until([&] { return !fs::exists(folder.path() / abandoned); }, 5s));
  int status = 0;
  REQUIRE(::waitpid(server, &status, 0) == server);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK(fs::exists(folder.path() / group_of(::getpid())));
  CHECK(fs::exists(folder.path() / "unrelated"));
}

}  // namespace
}  // namespace airlock::sandbox::testing
