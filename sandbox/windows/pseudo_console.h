#pragma once

// A pseudoconsole (ConPTY): a console without a window whose programs read typed input from one pipe and whose
// screen comes out of another as VT sequences. Windows runs it in a conhost.exe of its own, a child of the
// server (not of the run's job); closing the pseudoconsole ends that conhost and every program still attached.
// The API is looked up at run time (kernel32 has it since Windows 10 1809): on an older system airlock.exe still
// starts, and an interactive run says what is missing.

#include <windows.h>

#include <optional>
#include <string>

namespace airlock::sandbox::windows {

class PseudoConsole {
 public:
  // The console reads keystrokes from input and writes its screen to output; both are synchronous pipe ends that
  // the console duplicates, so the caller may close its own copies afterwards. Throws SandboxUnavailable when the
  // system has no pseudoconsoles, WindowsError when creating one fails.
  static PseudoConsole create(HANDLE input, HANDLE output);
  static std::optional<std::string> unavailable_reason();

  PseudoConsole(PseudoConsole&& other) noexcept;
  PseudoConsole& operator=(PseudoConsole&&) = delete;
  PseudoConsole(const PseudoConsole&) = delete;
  PseudoConsole& operator=(const PseudoConsole&) = delete;
  ~PseudoConsole() { close(); }

  // For PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE.
  HPCON get() const { return console_; }
  // Ends the conhost (its last screen still comes out of the output pipe, then the pipe ends). Idempotent.
  void close();

 private:
  using CloseFunction = VOID WINAPI(HPCON);
  PseudoConsole(HPCON console, CloseFunction* close_function) : console_(console), close_(close_function) {}

  HPCON console_ = nullptr;
  CloseFunction* close_ = nullptr;
};

}  // namespace airlock::sandbox::windows
