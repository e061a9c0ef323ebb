// The record the sandbox's init sends the server is untrusted input: only well-formed records are accepted.

#include "sandbox/linux/init_report.h"

#include <doctest/doctest.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <vector>

namespace airlock::sandbox::linux_backend {
namespace {

std::vector<std::byte> bytes_of(const InitReport& report) {
  std::vector<std::byte> bytes(sizeof report);
  std::memcpy(bytes.data(), &report, sizeof report);
  return bytes;
}

TEST_CASE("init report: final statuses round-trip") {
  auto exited = parse_final_report(bytes_of(make_init_report(InitReportKind::exited, 42)));
  REQUIRE(exited);
  CHECK(exited->kind == ExitStatus::Kind::exited);
  CHECK(exited->code == 42);
  CHECK_FALSE(exited->limit);

  auto signaled = parse_final_report(bytes_of(make_init_report(InitReportKind::signaled, SIGXCPU, LimitKind::cpu)));
  REQUIRE(signaled);
  CHECK(signaled->kind == ExitStatus::Kind::signaled);
  CHECK(signaled->signal == SIGXCPU);
  CHECK(signaled->limit == LimitKind::cpu);

  auto not_started =
      parse_final_report(bytes_of(make_init_report(InitReportKind::step_failed_to_start, 0, {}, "x: not found")));
  REQUIRE(not_started);
  CHECK(not_started->kind == ExitStatus::Kind::setup_failed);
  CHECK(not_started->message == "x: not found");
}

TEST_CASE("init report: setup outcomes round-trip") {
  auto ready = parse_setup_report(bytes_of(make_init_report(InitReportKind::ready)));
  REQUIRE(ready);
  CHECK(ready->ready);
  auto failed = parse_setup_report(bytes_of(make_init_report(InitReportKind::setup_error, EPERM, {}, "mount: no")));
  REQUIRE(failed);
  CHECK_FALSE(failed->ready);
  CHECK(failed->error == EPERM);
  CHECK(failed->message == "mount: no");
  CHECK_FALSE(parse_setup_report(bytes_of(make_init_report(InitReportKind::exited, 0))));
  CHECK_FALSE(parse_final_report(bytes_of(make_init_report(InitReportKind::ready))));
}

TEST_CASE("init report: malformed records are rejected") {
  const auto good = make_init_report(InitReportKind::exited, 1);
  auto bytes = bytes_of(good);
  CHECK_FALSE(parse_final_report(std::span(bytes).first(bytes.size() - 1)));
  bytes.push_back(std::byte{0});
  CHECK_FALSE(parse_final_report(bytes));

  auto bad_magic = good;
  bad_magic.magic ^= 1;
  CHECK_FALSE(parse_final_report(bytes_of(bad_magic)));

  auto bad_kind = good;
  bad_kind.kind = static_cast<InitReportKind>(99);
  CHECK_FALSE(parse_final_report(bytes_of(bad_kind)));

  CHECK_FALSE(parse_final_report(bytes_of(make_init_report(InitReportKind::exited, 256))));
  CHECK_FALSE(parse_final_report(bytes_of(make_init_report(InitReportKind::exited, -1))));
  CHECK_FALSE(parse_final_report(bytes_of(make_init_report(InitReportKind::signaled, 0))));
  CHECK_FALSE(parse_final_report(bytes_of(make_init_report(InitReportKind::signaled, 4096))));
  CHECK_FALSE(parse_final_report(bytes_of(make_init_report(InitReportKind::step_failed_to_start, 0, {}, ""))));
  CHECK_FALSE(parse_setup_report(bytes_of(make_init_report(InitReportKind::setup_error, 0, {}, "why"))));

  auto bad_limit = good;
  bad_limit.limit = 99;
  CHECK_FALSE(parse_final_report(bytes_of(bad_limit)));

  auto unterminated = good;
  std::memset(unterminated.message, 'x', sizeof unterminated.message);
  CHECK_FALSE(parse_final_report(bytes_of(unterminated)));
}

}  // namespace
}  // namespace airlock::sandbox::linux_backend
