#include "sandbox/linux/init_report.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

namespace airlock::sandbox::linux_backend {
namespace {

constexpr std::uint32_t kInitReportMagic = 0x41524C31;  // "ARL1"
constexpr std::uint32_t kLimitKindCount = static_cast<std::uint32_t>(LimitKind::output) + 1;

std::optional<InitReport> decode(std::span<const std::byte> bytes) {
  if (bytes.size() != sizeof(InitReport)) return std::nullopt;
  InitReport report;
  std::memcpy(&report, bytes.data(), sizeof report);
  if (report.magic != kInitReportMagic) return std::nullopt;
  if (report.limit > kLimitKindCount) return std::nullopt;
  if (std::memchr(report.message, '\0', sizeof report.message) == nullptr) return std::nullopt;
  return report;
}

std::optional<LimitKind> decode_limit(std::uint32_t limit) {
  if (limit == 0) return std::nullopt;
  return static_cast<LimitKind>(limit - 1);
}

}  // namespace

InitReport make_init_report(InitReportKind kind, std::int32_t value, std::optional<LimitKind> limit,
                            const char* message) {
  InitReport report;
  report.magic = kInitReportMagic;
  report.kind = kind;
  report.value = value;
  report.limit = limit ? static_cast<std::uint32_t>(*limit) + 1 : 0;
  std::strncpy(report.message, message, sizeof report.message - 1);
  return report;
}

bool send_init_report(int fd, const InitReport& report) {
  ssize_t written;
  do {
    written = ::write(fd, &report, sizeof report);
  } while (written < 0 && errno == EINTR);
  return written == static_cast<ssize_t>(sizeof report);
}

std::optional<SetupOutcome> parse_setup_report(std::span<const std::byte> bytes) {
  auto report = decode(bytes);
  if (!report) return std::nullopt;
  switch (report->kind) {
    case InitReportKind::ready:
      return SetupOutcome{.ready = true};
    case InitReportKind::setup_error:
      if (report->value <= 0) return std::nullopt;
      return SetupOutcome{.ready = false, .message = report->message, .error = report->value};
    default:
      return std::nullopt;
  }
}

std::optional<ExitStatus> parse_final_report(std::span<const std::byte> bytes) {
  auto report = decode(bytes);
  if (!report) return std::nullopt;
  ExitStatus status;
  status.limit = decode_limit(report->limit);
  // What the limit was and how it was hit; for a step that coped with a limit, a note of it.
  status.message = report->message;
  switch (report->kind) {
    case InitReportKind::exited:
      if (report->value < 0 || report->value > 255) return std::nullopt;
      status.kind = ExitStatus::Kind::exited;
      status.code = report->value;
      return status;
    case InitReportKind::signaled:
      if (report->value < 1 || report->value >= NSIG) return std::nullopt;
      status.kind = ExitStatus::Kind::signaled;
      status.signal = report->value;
      return status;
    case InitReportKind::step_failed_to_start:
      if (report->message[0] == '\0') return std::nullopt;
      status.kind = ExitStatus::Kind::setup_failed;
      status.message = report->message;
      return status;
    default:
      return std::nullopt;
  }
}

}  // namespace airlock::sandbox::linux_backend
