#include "sandbox/policy.h"

#include <doctest/doctest.h>

#include <string>

#include "sandbox/backend.h"

namespace airlock::sandbox {
namespace {

TEST_CASE("policy: names of modes and limits are the protocol's words") {
  CHECK(std::string(to_string(WorkspaceMode::readonly)) == "readonly");
  CHECK(std::string(to_string(WorkspaceMode::overlay)) == "overlay");
  CHECK(std::string(to_string(WorkspaceMode::readwrite)) == "readwrite");
  CHECK(std::string(to_string(Network::none)) == "none");
  CHECK(std::string(to_string(Network::host)) == "host");
  CHECK(std::string(to_string(Isolation::process)) == "process");
  CHECK(std::string(to_string(Isolation::vm)) == "vm");
  CHECK(std::string(to_string(LimitKind::memory)) == "memory");
  CHECK(std::string(to_string(LimitKind::processes)) == "processes");
  CHECK(std::string(to_string(LimitKind::disk)) == "disk");
  CHECK(std::string(to_string(LimitKind::cpu)) == "cpu");
  CHECK(std::string(to_string(LimitKind::output)) == "output");
}

}  // namespace
}  // namespace airlock::sandbox
