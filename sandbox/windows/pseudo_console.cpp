#include "sandbox/windows/pseudo_console.h"

#include <thread>
#include <utility>

#include "sandbox/backend.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

// Wide enough that a program's ordinary lines are not wrapped by the console before they reach the editor.
constexpr COORD kConsoleSize{200, 50};

using CreateFunction = HRESULT WINAPI(COORD, HANDLE, HANDLE, DWORD, HPCON*);

// kernel32 is loaded in every process: this finds it, and its exports, without loading anything.
HMODULE kernel32() { return ::GetModuleHandleW(L"kernel32.dll"); }

template <typename Function>
Function* kernel32_export(const char* name) {
  return reinterpret_cast<Function*>(reinterpret_cast<void*>(::GetProcAddress(kernel32(), name)));
}

}  // namespace

std::optional<std::string> PseudoConsole::unavailable_reason() {
  if (kernel32_export<CreateFunction>("CreatePseudoConsole") && kernel32_export<CloseFunction>("ClosePseudoConsole"))
    return std::nullopt;
  return "interactive runs are unavailable: this Windows has no pseudoconsole (kernel32.dll lacks "
         "CreatePseudoConsole). Fix: use Windows 10 version 1809 or later, or run without \"interactive\".";
}

PseudoConsole PseudoConsole::create(HANDLE input, HANDLE output) {
  if (auto missing = unavailable_reason()) throw SandboxUnavailable(*missing);
  HPCON console = nullptr;
  const HRESULT result = kernel32_export<CreateFunction>("CreatePseudoConsole")(kConsoleSize, input, output, 0, &console);
  if (FAILED(result)) throw WindowsError("CreatePseudoConsole", static_cast<DWORD>(result));
  return PseudoConsole(console, kernel32_export<CloseFunction>("ClosePseudoConsole"));
}

PseudoConsole::PseudoConsole(PseudoConsole&& other) noexcept
    : console_(std::exchange(other.console_, nullptr)), close_(other.close_) {}

void PseudoConsole::close() {
  if (!console_) return;
  // Before Windows 11 24H2, ClosePseudoConsole returns only once the conhost has written its last screen, which
  // waits for room in the output pipe: the server reads that pipe on the thread that would be blocked here. On a
  // thread of its own the close finishes as soon as the server reads on, or closes its end.
  std::thread([close = close_, console = std::exchange(console_, nullptr)] { close(console); }).detach();
}

}  // namespace airlock::sandbox::windows
