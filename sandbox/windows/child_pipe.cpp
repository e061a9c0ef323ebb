#include "sandbox/windows/child_pipe.h"

#include <atomic>
#include <string>

#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

constexpr DWORD kPipeBufferBytes = 64 * 1024;

std::wstring unique_pipe_name() {
  static std::atomic<unsigned long long> counter{0};
  return L"\\\\.\\pipe\\airlock-" + std::to_wstring(::GetCurrentProcessId()) + L"-" + std::to_wstring(++counter) +
         L"-" + std::to_wstring(::GetTickCount64());
}

}  // namespace

ChildPipe make_child_pipe(PipeDirection direction, ChildEnd child_end) {
  const std::wstring name = unique_pipe_name();
  const bool to_child = direction == PipeDirection::to_child;
  // FILE_FLAG_FIRST_PIPE_INSTANCE: if anyone created this name first, fail rather than talk to their pipe.
  // One instance only, and local clients only: nobody else can connect in between.
  UniqueHandle server(::CreateNamedPipeW(
      name.c_str(), (to_child ? PIPE_ACCESS_OUTBOUND : PIPE_ACCESS_INBOUND) | FILE_FLAG_OVERLAPPED |
                        FILE_FLAG_FIRST_PIPE_INSTANCE,
      PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS, 1, kPipeBufferBytes,
      kPipeBufferBytes, 0, nullptr));
  if (!server) throw_last_error("CreateNamedPipeW");

  const bool program = child_end == ChildEnd::program;
  SECURITY_ATTRIBUTES inheritable{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  UniqueHandle child(::CreateFileW(name.c_str(), to_child ? GENERIC_READ : GENERIC_WRITE, 0,
                                   program ? &inheritable : nullptr, OPEN_EXISTING,
                                   program ? FILE_ATTRIBUTE_NORMAL : FILE_FLAG_OVERLAPPED, nullptr));
  if (!child) throw_last_error("CreateFileW(pipe client)");
  return {std::move(server), std::move(child)};
}

}  // namespace airlock::sandbox::windows
