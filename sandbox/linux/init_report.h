#pragma once

// The fixed-size record the sandbox's init writes to the server over the report pipe: once when the sandbox is
// ready (or why its setup failed), once more with the final status of the run. One record is smaller than
// PIPE_BUF, so each write and read is atomic. The server treats a record as untrusted input and validates it.

#include <climits>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "sandbox/backend.h"
#include "sandbox/linux/child_failure.h"

namespace airlock::sandbox::linux_backend {

enum class InitReportKind : std::uint32_t {
  ready = 1,        // setup is done, the first step is about to start
  setup_error = 2,  // the sandbox could not be set up; message and error say why
  exited = 3,       // final: value is the exit code of the step that ended the run
  signaled = 4,     // final: value is the signal that ended the step
  step_failed_to_start = 5,  // final: a step could not be executed; message says why
};

struct InitReport {
  std::uint32_t magic = 0;
  InitReportKind kind = InitReportKind::ready;
  std::int32_t value = 0;   // exit code, signal, or errno of a setup error
  std::uint32_t limit = 0;  // 0, or 1 + LimitKind when a backend-enforced limit ended the step
  char message[kFailureMessageSize] = {};
};
static_assert(sizeof(InitReport) <= PIPE_BUF, "a report must be written and read atomically");

InitReport make_init_report(InitReportKind kind, std::int32_t value = 0, std::optional<LimitKind> limit = {},
                            const char* message = "");

// Child side: one write(2); false if the pipe is gone (the server died or stopped listening).
bool send_init_report(int fd, const InitReport& report);

struct SetupOutcome {
  bool ready = false;
  std::string message;  // why setup failed
  int error = 0;        // errno of the call that failed
};

// Server side. nullopt when the bytes are not one well-formed record of the expected kind.
std::optional<SetupOutcome> parse_setup_report(std::span<const std::byte> bytes);
std::optional<ExitStatus> parse_final_report(std::span<const std::byte> bytes);

}  // namespace airlock::sandbox::linux_backend
