#include "test_helpers.h"

#include <fcntl.h>
#include <io.h>
#include <shellapi.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "sandbox/windows/command_line.h"
#include "sandbox/windows/unique_handle.h"
#include "sandbox/windows/utf16.h"

namespace airlock::windows_tests {
namespace {

std::string self_path() {
  wchar_t path[MAX_PATH];
  const DWORD length = ::GetModuleFileNameW(nullptr, path, MAX_PATH);
  return sandbox::windows::to_utf8(std::wstring_view(path, length));
}

int spawn_and_sleep() {
  std::wstring line = sandbox::windows::to_utf16(sandbox::windows::build_command_line(helper_argv("sleep")));
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  PROCESS_INFORMATION info{};
  if (!::CreateProcessW(nullptr, line.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &startup, &info)) return 3;
  sandbox::windows::UniqueHandle process(info.hProcess);
  sandbox::windows::UniqueHandle thread(info.hThread);
  std::printf("%lu\n", static_cast<unsigned long>(info.dwProcessId));
  std::fflush(stdout);
  ::Sleep(INFINITE);
  return 0;
}

bool is_console(DWORD std_handle) {
  DWORD mode = 0;
  return ::GetConsoleMode(::GetStdHandle(std_handle), &mode) != 0;
}

// What a console program does with a user: asks, reads a line (in text mode, as most programs read), answers, then
// reads to the end of input.
int prompt() {
  _setmode(_fileno(stdin), _O_TEXT);
  _setmode(_fileno(stderr), _O_BINARY);
  std::printf("stdin: %s, stdout: %s\n", is_console(STD_INPUT_HANDLE) ? "console" : "pipe",
              is_console(STD_OUTPUT_HANDLE) ? "console" : "pipe");
  std::fputs("said on stderr\n", stderr);
  std::fputs("name? ", stdout);
  std::fflush(stdout);
  char line[256];
  if (!std::fgets(line, sizeof line, stdin)) return 4;
  line[std::strcspn(line, "\r\n")] = '\0';
  std::printf("hello %s\n", line);
  std::fflush(stdout);
  int more = 0;
  while (std::fgets(line, sizeof line, stdin)) ++more;
  std::printf("end of input after %d more lines\n", more);
  return 0;
}

int print_environment_names() {
  wchar_t* block = ::GetEnvironmentStringsW();
  for (const wchar_t* entry = block; *entry; entry += std::wcslen(entry) + 1) {
    const std::wstring_view text(entry);
    // Entries such as "=C:=C:\\" hold the current folder per drive, not variables.
    if (text.front() == L'=') continue;
    std::printf("%s\n", sandbox::windows::to_utf8(text.substr(0, text.find(L'='))).c_str());
  }
  ::FreeEnvironmentStringsW(block);
  return 0;
}

}  // namespace

bool running_under_wine() {
  const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
  return ntdll && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

sandbox::windows::JobLimits test_job_limits() {
  sandbox::Limits limits;
  limits.max_processes = 8;
  sandbox::windows::JobLimits job = sandbox::windows::job_limits_for(limits, 2);
  if (running_under_wine()) job.cpu_rate = 0;
  return job;
}

std::vector<std::string> helper_argv(const std::string& name, const std::vector<std::string>& args) {
  std::vector<std::string> argv{self_path(), "--helper", name};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

int run_helper(int argc, char** argv) {
  _setmode(_fileno(stdout), _O_BINARY);
  _setmode(_fileno(stdin), _O_BINARY);
  const std::string_view name = argv[2];
  if (name == "print-args") {
    // The C runtime's char argv is in the ANSI code page; the UTF-16 command line keeps every character.
    int count = 0;
    LPWSTR* wide = ::CommandLineToArgvW(::GetCommandLineW(), &count);
    for (int i = 3; i < count; ++i) {
      const std::string arg = sandbox::windows::to_utf8(wide[i]);
      std::fwrite(arg.c_str(), 1, arg.size() + 1, stdout);
    }
    ::LocalFree(wide);
    return 0;
  }
  if (name == "cat") {
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0;) std::fwrite(buffer, 1, n, stdout);
    return 0;
  }
  if (name == "env" && argc == 4) {
    const wchar_t* value = ::_wgetenv(sandbox::windows::to_utf16(argv[3]).c_str());
    std::fputs(value ? sandbox::windows::to_utf8(value).c_str() : "<unset>", stdout);
    return 0;
  }
  if (name == "cwd") {
    wchar_t path[MAX_PATH];
    const DWORD length = ::GetCurrentDirectoryW(MAX_PATH, path);
    std::fputs(sandbox::windows::to_utf8(std::wstring_view(path, length)).c_str(), stdout);
    return 0;
  }
  if (name == "spawn-and-sleep") return spawn_and_sleep();
  if (name == "prompt") return prompt();
  if (name == "env-names") return print_environment_names();
  if (name == "sleep") {
    ::Sleep(INFINITE);
    return 0;
  }
  if (name == "exit" && argc == 4) return std::atoi(argv[3]);
  std::fprintf(stderr, "unknown helper %s\n", argv[2]);
  return 2;
}

bool process_ended(DWORD pid, DWORD timeout_ms) {
  sandbox::windows::UniqueHandle process(::OpenProcess(SYNCHRONIZE, FALSE, pid));
  if (!process) return true;
  return ::WaitForSingleObject(process.get(), timeout_ms) == WAIT_OBJECT_0;
}

}  // namespace airlock::windows_tests
