#pragma once

// Starts one program inside a run's Job Object, optionally inside an AppContainer, with its stdio on given pipes
// or attached to a pseudoconsole.
// The program starts suspended and is put in the job before its first instruction, so neither it nor any child it
// creates can escape the job; it inherits exactly its three stdio handles and nothing else of the server.

#include <windows.h>

#include <string>
#include <utility>
#include <vector>

#include "sandbox/windows/job_object.h"
#include "sandbox/windows/unique_handle.h"

namespace airlock::sandbox::windows {

struct ProcessLaunch {
  std::vector<std::string> argv;                           // UTF-8; argv[0] is searched like CreateProcessW does
  std::string cwd;                                         // absolute Windows path
  std::vector<std::pair<std::string, std::string>> env;    // the complete environment, nothing is inherited
  PSID app_container = nullptr;                            // run inside this AppContainer (no capabilities)
};

// The program's ends of its stdio pipes: synchronous, inheritable. Several programs may share them (the steps of one
// run write to the same output). With a pseudoconsole the program is attached to it instead, and its stdio are the
// console's (the pipes are left unset): it inherits no handle at all.
struct ChildStdio {
  HANDLE input = nullptr;
  HANDLE output = nullptr;
  HANDLE error = nullptr;
  HPCON console = nullptr;
};

struct StartedProcess {
  UniqueHandle process;
  DWORD pid = 0;
};

// Throws WindowsError when Windows refuses, std::invalid_argument for an argv Windows cannot express (a batch file,
// a quote in the program name, a NUL, invalid UTF-8).
StartedProcess start_in_job(const ProcessLaunch& launch, const ChildStdio& stdio, const JobObject& job);

// The CREATE_UNICODE_ENVIRONMENT block: NAME=value entries sorted by name ignoring case, as Windows requires, each
// NUL-terminated, and one more NUL at the end. A name with '=' or a NUL anywhere is refused, and so are two names
// that differ only in case (one variable on Windows).
std::wstring environment_block(const std::vector<std::pair<std::string, std::string>>& env);

}  // namespace airlock::sandbox::windows
