#include "sandbox_test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "sandbox/linux/linux_backend.h"

namespace airlock::sandbox::testing {
namespace fs = std::filesystem;

TempWorkspace::TempWorkspace() {
  std::string pattern = (fs::temp_directory_path() / "airlock-sandbox-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
  fs::permissions(path_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
  give_to_owner(path_);
}

TempWorkspace::~TempWorkspace() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

void TempWorkspace::give_to_owner(const fs::path& path) const {
  if (::geteuid() == 0 && ::lchown(path.c_str(), kWorkspaceOwnerWhenRoot, kWorkspaceGroupWhenRoot) != 0) {
    throw std::runtime_error("lchown failed for " + path.string());
  }
}

void TempWorkspace::make_dir(const std::string& relative) const {
  fs::create_directories(path_ / relative);
  give_to_owner(path_ / relative);
}

void TempWorkspace::write(const std::string& relative, const std::string& content) const {
  const fs::path file = path_ / relative;
  if (file.parent_path() != path_) make_dir(fs::path(relative).parent_path().string());
  std::ofstream(file, std::ios::binary) << content;
  give_to_owner(file);
}

std::string TempWorkspace::read(const std::string& relative) const {
  std::ifstream file(path_ / relative, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

bool TempWorkspace::exists(const std::string& relative) const { return fs::exists(path_ / relative); }

uid_t TempWorkspace::sandbox_uid() const { return ::geteuid() == 0 ? kWorkspaceOwnerWhenRoot : ::geteuid(); }

LaunchSpec spec_in(const TempWorkspace& workspace, std::vector<std::vector<std::string>> steps) {
  LaunchSpec spec;
  spec.policy.workspace = workspace.path();
  spec.cwd = workspace.path().string();
  spec.steps = std::move(steps);
  spec.env = {{"PATH", "/usr/bin:/bin"}, {"HOME", kSandboxHome}, {"LANG", "C.UTF-8"}};
  return spec;
}

LaunchSpec shell_spec(const TempWorkspace& workspace, const std::string& script) {
  return spec_in(workspace, {{"/bin/sh", "-c", script}});
}

RunOutput run_to_end(Process& process, const std::string& input) {
  {
    UniqueFd stdin_fd = process.take_stdin();
    if (!input.empty() && ::write(stdin_fd.get(), input.data(), input.size()) != static_cast<ssize_t>(input.size())) {
      throw std::runtime_error("writing stdin failed");
    }
  }
  UniqueFd streams[2] = {process.take_stdout(), process.take_stderr()};
  RunOutput output;
  std::string* sinks[2] = {&output.out, &output.err};
  while (streams[0] || streams[1]) {
    pollfd fds[2];
    for (int i = 0; i < 2; ++i) fds[i] = {.fd = streams[i].get(), .events = POLLIN, .revents = 0};
    if (::poll(fds, 2, 30'000) <= 0) throw std::runtime_error("no output for 30 s");
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t got = ::read(streams[i].get(), buffer, sizeof buffer);
      if (got <= 0) {
        streams[i].reset();
      } else {
        sinks[i]->append(buffer, static_cast<std::size_t>(got));
      }
    }
  }
  while (true) {
    if (auto status = process.poll()) {
      output.status = *status;
      return output;
    }
    pollfd wait{.fd = process.wait_fd(), .events = POLLIN, .revents = 0};
    if (::poll(&wait, 1, 30'000) <= 0) throw std::runtime_error("the sandbox did not end within 30 s");
  }
}

RunOutput run_to_end(const LaunchSpec& spec, const std::string& input) {
  auto process = make_linux_backend()->start(spec);
  return run_to_end(*process, input);
}

ProtectionReport protection_named(const std::vector<ProtectionReport>& reports, const std::string& name) {
  for (const auto& report : reports) {
    if (report.name == name) return report;
  }
  throw std::runtime_error("no probe named " + name);
}

std::string unique_token() {
  static std::atomic<int> counter{0};
  return "airlocktest" + std::to_string(::getpid()) + "x" + std::to_string(counter++) + "x" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

// Empty when the process ends while being read (read(2) then fails with ESRCH).
std::string command_line_of(const fs::path& process) {
  std::string text;
  UniqueFd file(::open((process / "cmdline").c_str(), O_RDONLY | O_CLOEXEC));
  char buffer[4096];
  for (ssize_t got; file && (got = ::read(file.get(), buffer, sizeof buffer)) > 0;) {
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return text;
}

std::vector<pid_t> processes_with_token(const std::string& token) {
  std::vector<pid_t> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (command_line_of(entry.path()).find(token) != std::string::npos) found.push_back(std::stoi(name));
  }
  return found;
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

int open_fd_count() {
  int count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

}  // namespace airlock::sandbox::testing
