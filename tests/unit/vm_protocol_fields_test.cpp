// The wire fields that tell a client which accelerator runs its VM (in initialize's capabilities and in
// sandbox/started), the machine a VM run got (sandbox/started's vm) and the vcpus limit. All are optional, so
// clients and servers without them still agree.

#include <doctest/doctest.h>

#include <string>

#include "protocol/messages.h"

namespace airlock::protocol {
namespace {

TEST_CASE("vm protocol fields: sandbox/started names the accelerator only when there is one") {
  StartedParams vm{.runId = "r", .isolation = "vm", .workspace = "overlay", .accelerator = "tcg"};
  json wire = vm;
  CHECK(wire["accelerator"] == "tcg");
  CHECK(wire.get<StartedParams>() == vm);
  StartedParams process{.runId = "r", .isolation = "process", .workspace = "readonly"};
  wire = process;
  CHECK_FALSE(wire.contains("accelerator"));
  CHECK(wire.get<StartedParams>() == process);
  wire["accelerator"] = 3;
  CHECK_THROWS_AS(wire.get<StartedParams>(), ParamsError);
}

TEST_CASE("vm protocol fields: sandbox/started describes a VM run's machine, and only a VM run's") {
  StartedParams vm{.runId = "r", .isolation = "vm", .workspace = "overlay", .accelerator = "tcg",
                   .vm = StartedMachine{.vcpus = 2, .memoryMB = 416, .prebooted = true}};
  json wire = vm;
  CHECK(wire["vm"] == json{{"vcpus", 2}, {"memoryMB", 416}, {"prebooted", true}});
  CHECK(wire.get<StartedParams>() == vm);
  wire["vm"]["vcpus"] = 0;
  CHECK_THROWS_AS(wire.get<StartedParams>(), ParamsError);
  StartedParams process{.runId = "r", .isolation = "process", .workspace = "readonly"};
  CHECK_FALSE(json(process).contains("vm"));
}

TEST_CASE("vm protocol fields: limits.vcpus is a positive integer like every limit") {
  ExecuteLimits limits{.vcpus = 4};
  json wire = limits;
  CHECK(wire["vcpus"] == 4);
  CHECK(wire.get<ExecuteLimits>() == limits);
  wire["vcpus"] = 0;
  CHECK_THROWS_AS(wire.get<ExecuteLimits>(), ParamsError);
}

TEST_CASE("vm protocol fields: capabilities list accelerators per isolation level, omitted when empty") {
  SandboxCapabilities capabilities{.languages = {"sh"}, .isolation = {"process", "vm"}, .workspaceModes = {"readonly"},
                                   .interactive = true, .accelerators = {{"vm", "kvm"}}};
  json wire = capabilities;
  CHECK(wire["accelerators"] == json{{"vm", "kvm"}});
  CHECK(wire.get<SandboxCapabilities>() == capabilities);
  capabilities.accelerators.clear();
  wire = capabilities;
  CHECK_FALSE(wire.contains("accelerators"));
  CHECK(wire.get<SandboxCapabilities>() == capabilities);
  wire["accelerators"] = json{{"vm", ""}};
  try {
    (void)wire.get<SandboxCapabilities>();
    FAIL("an empty accelerator name must be refused");
  } catch (const ParamsError& error) {
    CHECK(std::string(error.what()).find("accelerators[\"vm\"]") != std::string::npos);
  }
}

}  // namespace
}  // namespace airlock::protocol
