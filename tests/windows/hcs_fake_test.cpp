// The HCS client against a FAKE computecore.dll (fake_computecore/), installed in the System32 folder of a Wine prefix
// of its own so that the client loads it exactly as it loads the real one. These tests check the documents the
// client sends and how it handles operations: bounded waits, cancels, and closing handles only after their
// operations finished. They say nothing about real Hyper-V, which only the hyper-v suite on Windows exercises.

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/windows/compute_system.h"
#include "sandbox/windows/hcs_document.h"
#include "sandbox/windows/hyper_v_run.h"
#include "sandbox/windows/utf16.h"
#include "run_output.h"

using namespace airlock::sandbox;
using namespace airlock::sandbox::windows;

namespace {

constexpr HcsTimeouts kTimeouts{.create_ms = 1000, .start_ms = 200, .terminate_ms = 300, .cancel_grace_ms = 50};

class FakeComputeCore {
 public:
  FakeComputeCore() : api_(ComputeCore::load()) {
    const HMODULE module = ::GetModuleHandleW(L"computecore.dll");
    set_scenario_ = reinterpret_cast<SetScenario*>(reinterpret_cast<void*>(::GetProcAddress(module, "FakeHcsSetScenario")));
    journal_ = reinterpret_cast<Journal*>(reinterpret_cast<void*>(::GetProcAddress(module, "FakeHcsJournal")));
    configuration_ = reinterpret_cast<Configuration*>(
        reinterpret_cast<void*>(::GetProcAddress(module, "FakeHcsLastConfiguration")));
    REQUIRE_MESSAGE(static_cast<bool>(set_scenario_), "the computecore.dll loaded is not the fake: run these tests through "
                                   "tests/windows/run-with-fake-computecore");
  }

  const ComputeCore& api() const { return api_; }
  void scenario(const char* text) const { set_scenario_(text); }
  std::vector<std::string> journal() const {
    std::vector<std::string> lines;
    std::istringstream text(journal_());
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    return lines;
  }
  nlohmann::json configuration() const { return nlohmann::json::parse(to_utf8(configuration_())); }

 private:
  using SetScenario = void WINAPI(const char*);
  using Journal = const char* WINAPI();
  using Configuration = const wchar_t* WINAPI();
  ComputeCore api_;
  SetScenario* set_scenario_ = nullptr;
  Journal* journal_ = nullptr;
  Configuration* configuration_ = nullptr;
};

const GuestImage kImage{*WindowsPath::parse("C:\\airlock\\vmlinux"), *WindowsPath::parse("C:\\airlock\\initramfs"),
                        *WindowsPath::parse("C:\\airlock\\system.vhd")};

UtilityVmPlan test_plan() {
  Policy policy;
  policy.isolation = Isolation::vm;
  policy.workspace = "C:\\src\\app";
  policy.workspace_mode = WorkspaceMode::readwrite;
  return plan_utility_vm(policy, kImage, {".git"},
                         {.processors = 4, .user_sid = "S-1-5-21-1-2-3-1001", .console_pipe = "\\\\.\\pipe\\fake-console"});
}

// A pipe name of the test's own for the agent's channel.
std::wstring agent_pipe_name() {
  static std::atomic<unsigned> counter{0};
  return L"\\\\.\\pipe\\airlock-test-listener-" + std::to_wstring(::GetCurrentProcessId()) + L"-" +
         std::to_wstring(++counter);
}

// Under Wine there is no AF_HYPERV, so the Hyper-V runs below wait for their agent on a named pipe: the boot ends by
// the agent's connection, the kill, the guest's end or the timeout. It runs on the run's thread, so it throws where
// a test would assert: the run then fails with that message.
class NamedPipeAgentListener final : public AgentListener {
 public:
  explicit NamedPipeAgentListener(const std::wstring& name) {
    pipe_ = UniqueHandle(::CreateNamedPipeW(name.c_str(), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                                            PIPE_TYPE_BYTE | PIPE_WAIT, 1, 64 * 1024, 64 * 1024, 0, nullptr));
    connected_ = UniqueHandle(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
    overlapped_.hEvent = connected_.get();
    if (!pipe_ || !connected_ || ::ConnectNamedPipe(pipe_.get(), &overlapped_) || ::GetLastError() != ERROR_IO_PENDING)
      throw std::runtime_error("the test's agent pipe could not listen");
  }
  ~NamedPipeAgentListener() override {
    if (!pipe_) return;  // handed to the run
    ::CancelIoEx(pipe_.get(), &overlapped_);
    DWORD ignored = 0;
    ::GetOverlappedResult(pipe_.get(), &overlapped_, &ignored, TRUE);
  }

  std::optional<AgentChannel> accept(DWORD timeout_ms, const std::vector<HANDLE>& aborts) override {
    std::vector<HANDLE> waits{connected_.get()};
    waits.insert(waits.end(), aborts.begin(), aborts.end());
    const DWORD woken = ::WaitForMultipleObjects(static_cast<DWORD>(waits.size()), waits.data(), FALSE, timeout_ms);
    if (woken == WAIT_TIMEOUT) throw SandboxUnavailable("the test's agent did not connect");
    if (woken != WAIT_OBJECT_0) return std::nullopt;
    DWORD ignored = 0;
    if (!::GetOverlappedResult(pipe_.get(), &overlapped_, &ignored, FALSE))
      throw std::runtime_error("the test's agent pipe failed to connect");
    return AgentChannel(std::move(pipe_));
  }

 private:
  UniqueHandle pipe_;
  UniqueHandle connected_;
  OVERLAPPED overlapped_{};
};

// A Hyper-V run's settings with its agent awaited on a NamedPipeAgentListener of that name.
HyperVSettings waiting_on_a_pipe(const HcsTimeouts& timeouts, DWORD agent_connect_ms,
                                 const std::wstring& pipe = agent_pipe_name()) {
  return {.image = kImage,
          .timeouts = timeouts,
          .agent_connect_ms = agent_connect_ms,
          .listen_for_agent = [pipe](const GuidFields&) -> std::unique_ptr<AgentListener> {
            return std::make_unique<NamedPipeAgentListener>(pipe);
          }};
}

// The guest agent's side of a run, on the client end of the run's agent pipe: takes the launch request, writes a
// line of output and reports exit code 0, then waits for the host to close the channel.
class PipeAgent {
 public:
  explicit PipeAgent(std::wstring pipe) : thread_([this, pipe = std::move(pipe)] { serve(pipe); }) {}
  ~PipeAgent() { join(); }
  void join() {
    if (thread_.joinable()) thread_.join();
  }
  // The launch request it took; valid once joined.
  const std::optional<vm::LaunchRequest>& launch() const { return launch_; }

 private:
  void serve(const std::wstring& pipe) {
    UniqueHandle channel;
    for (int i = 0; i < 3000 && !channel; ++i) {
      channel = UniqueHandle(
          ::CreateFileW(pipe.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr));
      if (!channel) ::Sleep(10);
    }
    if (!channel) return;
    vm::FrameDecoder decoder(vm::Direction::to_guest);
    char buffer[4096];
    DWORD n = 0;
    while (!launch_ && ::ReadFile(channel.get(), buffer, sizeof buffer, &n, nullptr) && n > 0) {
      decoder.push(std::string_view(buffer, n));
      if (auto frame = decoder.next(); frame && frame->type == vm::MessageType::launch)
        launch_ = vm::decode_launch(frame->payload);
    }
    const std::string reply = vm::encode_frame(vm::MessageType::stdout_data, "hello from the guest\n") +
                              vm::encode_frame(vm::MessageType::exit, vm::encode_exit(ExitStatus{.code = 0}));
    DWORD written = 0;
    ::WriteFile(channel.get(), reply.data(), static_cast<DWORD>(reply.size()), &written, nullptr);
    while (::ReadFile(channel.get(), buffer, sizeof buffer, &n, nullptr) && n > 0) {
    }
  }

  std::optional<vm::LaunchRequest> launch_;
  std::thread thread_;
};

LaunchSpec test_spec() {
  LaunchSpec spec;
  spec.policy.isolation = Isolation::vm;
  spec.policy.workspace = "C:\\src\\app";
  spec.steps = {{"python3", "-u", "/airlock/snippet.py"}};
  return spec;
}

// The run's end, waited for on the handle the server waits on.
ExitStatus wait_for_end(HyperVRun& run) {
  REQUIRE(::WaitForSingleObject(run.wait_fd(), 60'000) == WAIT_OBJECT_0);
  const auto status = run.poll();
  REQUIRE(status);
  return *status;
}

std::size_t line_index(const std::vector<std::string>& journal, const std::string& line) {
  const auto found = std::find(journal.begin(), journal.end(), line);
  REQUIRE_MESSAGE(found != journal.end(), "no \"" << line << "\" in the fake's journal");
  return static_cast<std::size_t>(found - journal.begin());
}

// Creates a system under scenario and starts it; the timeout start() ended with, once the system is dropped.
HcsOperationTimeout start_timeout(const FakeComputeCore& fake, const char* scenario, const std::string& id) {
  fake.scenario(scenario);
  ComputeSystem system = ComputeSystem::create(fake.api(), id, test_plan().document, kTimeouts);
  try {
    system.start();
  } catch (const HcsOperationTimeout& timeout) {
    return timeout;
  }
  throw std::logic_error("start did not time out");
}

bool contains_line(const std::vector<std::string>& journal, const std::string& line) {
  return std::find(journal.begin(), journal.end(), line) != journal.end();
}

}  // namespace

TEST_SUITE("hcs-fake") {
  TEST_CASE("windows hcs fake: the utility VM's document reaches HCS unchanged; each operation is closed once done") {
    const FakeComputeCore fake;
    fake.scenario("");
    const UtilityVmPlan plan = test_plan();
    {
      ComputeSystem system = ComputeSystem::create(fake.api(), "airlock-run-1", plan.document, kTimeouts);
      system.start();
      system.terminate();
      system.terminate();  // idempotent
    }
    CHECK(fake.configuration() == plan.document);
    CHECK(fake.journal() == std::vector<std::string>{
                                "create-operation op1", "create-compute-system airlock-run-1 op1", "wait op1 1000ms",
                                "close-operation op1", "create-operation op2", "start-compute-system sys1 op2",
                                "wait op2 200ms", "close-operation op2", "create-operation op3",
                                "terminate-compute-system sys1 op3", "wait op3 300ms", "close-operation op3",
                                "close-compute-system sys1"});
  }

  TEST_CASE("windows hcs fake: a start that hangs is cancelled at its timeout, then the VM is terminated and closed") {
    const FakeComputeCore fake;
    const HcsOperationTimeout timeout = start_timeout(fake, "start:hang", "airlock-run-2");
    CHECK_FALSE(timeout.abandoned());
    CHECK(std::string(timeout.what()).find("HcsStartComputeSystem did not finish within 0.2 s; it was cancelled") !=
          std::string::npos);
    CHECK(std::string(timeout.what()).find("Fix:") != std::string::npos);
    CHECK(fake.journal() == std::vector<std::string>{
                                "create-operation op1", "create-compute-system airlock-run-2 op1", "wait op1 1000ms",
                                "close-operation op1", "create-operation op2", "start-compute-system sys1 op2",
                                "wait op2 200ms", "cancel op2", "wait op2 50ms", "close-operation op2",
                                "create-operation op3", "terminate-compute-system sys1 op3", "wait op3 300ms",
                                "close-operation op3", "close-compute-system sys1"});
  }

  TEST_CASE("windows hcs fake: an operation that does not end even when cancelled keeps its handles open") {
    const FakeComputeCore fake;
    const HcsOperationTimeout timeout = start_timeout(fake, "start:deaf", "airlock-run-3");
    CHECK(timeout.abandoned());
    CHECK(std::string(timeout.what()).find("left open") != std::string::npos);
    const auto journal = fake.journal();
    CHECK(contains_line(journal, "cancel op2"));
    CHECK_FALSE(contains_line(journal, "close-operation op2"));
    // The VM is still asked to end, by an operation of its own, but the system's handle is never closed under HCS.
    CHECK(contains_line(journal, "terminate-compute-system sys1 op3"));
    CHECK(contains_line(journal, "close-operation op3"));
    CHECK_FALSE(contains_line(journal, "close-compute-system sys1"));
    for (const std::string& line : journal) CHECK(line.find("while-pending") == std::string::npos);
  }

  TEST_CASE("windows hcs fake: a refused or failed create is -32010 with the cause and the fix") {
    const FakeComputeCore fake;
    fake.scenario("create:refuse=8037011B");
    CHECK_THROWS_WITH_AS(ComputeSystem::create(fake.api(), "airlock-run-4", test_plan().document, kTimeouts),
                         doctest::Contains("HcsCreateComputeSystem"), SandboxUnavailable);
    // Refused at once: the operation never started, so it is closed without a wait.
    CHECK(fake.journal() == std::vector<std::string>{"create-operation op1", "create-compute-system airlock-run-4 op1",
                                                     "close-operation op1"});

    fake.scenario("create:fail=80370102");
    try {
      ComputeSystem::create(fake.api(), "airlock-run-5", test_plan().document, kTimeouts);
      FAIL("create should have failed");
    } catch (const SandboxUnavailable& error) {
      const std::string message = error.what();
      CHECK(message.find("Hyper-V is not enabled") != std::string::npos);
      CHECK(message.find("the fake was told to fail create") != std::string::npos);
      CHECK(message.find("Fix:") != std::string::npos);
    }
    CHECK(fake.journal() == std::vector<std::string>{"create-operation op1", "create-compute-system airlock-run-5 op1",
                                                     "wait op1 1000ms", "close-operation op1",
                                                     "close-compute-system sys1"});
  }

  TEST_CASE("windows hcs fake: a terminate that hangs is cancelled and not retried; the handle is then closed") {
    const FakeComputeCore fake;
    fake.scenario("terminate:hang");
    {
      ComputeSystem system = ComputeSystem::create(fake.api(), "airlock-run-6", test_plan().document, kTimeouts);
      system.start();
      CHECK_THROWS_AS(system.terminate(), HcsOperationTimeout);
    }
    const auto journal = fake.journal();
    CHECK(std::count_if(journal.begin(), journal.end(),
                        [](const std::string& line) { return line.starts_with("terminate-compute-system"); }) == 1);
    CHECK(journal.back() == "close-compute-system sys1");
  }

  TEST_CASE("windows hcs fake: the VM's runtime id, which its HvSocket services are bound to, comes from its properties") {
    const FakeComputeCore fake;
    fake.scenario("");
    {
      ComputeSystem system = ComputeSystem::create(fake.api(), "airlock-run-7", test_plan().document, kTimeouts);
      CHECK(system.runtime_id() == *parse_guid("6f1c4c3e-0d1b-4a7c-9a55-2b7f3e0c1d2a"));
    }
    CHECK(contains_line(fake.journal(), "get-properties sys1 op2"));
    CHECK(contains_line(fake.journal(), "close-operation op2"));

    fake.scenario("properties:fail=80370100");
    ComputeSystem system = ComputeSystem::create(fake.api(), "airlock-run-8", test_plan().document, kTimeouts);
    CHECK_THROWS_WITH_AS(system.runtime_id(), doctest::Contains("HcsGetComputeSystemProperties"), SandboxUnavailable);
  }

  TEST_CASE("windows hcs fake: a Hyper-V run listens for its agent before the VM starts; without HvSocket the VM is "
            "closed unstarted and the run fails with the cause") {
    const FakeComputeCore fake;
    fake.scenario("");
    const HyperVSettings settings{.image = kImage, .timeouts = kTimeouts, .agent_connect_ms = 1000};
    {
      // Wine has no AF_HYPERV: the listener, made right after the VM's runtime id is known, is refused.
      const auto run = HyperVRun::start(ComputeCore::load(), test_spec(), settings);
      const ExitStatus status = wait_for_end(*run);
      CHECK(status.kind == ExitStatus::Kind::setup_failed);
      CHECK(status.message.find("HvSocket") != std::string::npos);
    }
    const auto journal = fake.journal();
    REQUIRE(journal.size() >= 5);
    CHECK(journal[0] == "grant-vm-access C:\\airlock\\vmlinux");
    CHECK(journal[1] == "grant-vm-access C:\\airlock\\initramfs");
    CHECK(journal[2] == "grant-vm-access C:\\airlock\\system.vhd");
    CHECK(journal[4].starts_with("create-compute-system airlock-run-"));
    CHECK(contains_line(journal, "get-properties sys1 op2"));
    for (const std::string& line : journal) CHECK_FALSE(line.starts_with("start-compute-system"));
    for (const char* file : {"vmlinux", "initramfs", "system.vhd"})
      CHECK(line_index(journal, "close-compute-system sys1") <
            line_index(journal, std::string("revoke-vm-access C:\\airlock\\") + file));
    CHECK(fake.configuration()["VirtualMachine"]["Chipset"]["LinuxKernelDirect"]["KernelFilePath"] ==
          "C:\\airlock\\vmlinux");
    CHECK(fake.configuration()["VirtualMachine"]["Devices"]["Scsi"]["0"]["Attachments"]["0"]["Path"] ==
          "C:\\airlock\\system.vhd");
  }

  TEST_CASE("windows hcs fake: a Hyper-V run whose agent connects is relayed to its report; the VM is terminated "
            "and closed after it") {
    const FakeComputeCore fake;
    fake.scenario("");
    const std::wstring pipe = agent_pipe_name();
    const HyperVSettings settings = waiting_on_a_pipe(kTimeouts, 60'000, pipe);
    {
      const auto run = HyperVRun::start(ComputeCore::load(), test_spec(), settings);
      PipeAgent agent(pipe);
      // The server takes the program's pipes at once, while the VM is still being made.
      const airlock::windows_tests::RunOutput output = airlock::windows_tests::exchange_stdio(*run, "");
      CHECK(output.out == "hello from the guest\n");
      CHECK(output.err.empty());
      const ExitStatus status = wait_for_end(*run);
      CHECK(status.kind == ExitStatus::Kind::exited);
      CHECK(status.code == 0);
      agent.join();
      REQUIRE(agent.launch());
      CHECK(agent.launch()->steps == test_spec().steps);
      // The disk the document attaches, by the label the agent finds it by.
      CHECK(agent.launch()->system_disk_label == "airlock-system");
    }
    const auto journal = fake.journal();
    CHECK(line_index(journal, "start-compute-system sys1 op3") < line_index(journal, "terminate-compute-system sys1 op4"));
    CHECK(line_index(journal, "terminate-compute-system sys1 op4") < line_index(journal, "close-compute-system sys1"));
    CHECK(journal.back() == "revoke-vm-access C:\\airlock\\system.vhd");
  }

  TEST_CASE("windows hcs fake: a guest that panics before its agent connects fails the run with its console's last "
            "lines") {
    const FakeComputeCore fake;
    fake.scenario("start:panic");
    // The agent's timeout is far away: the run must end because the VM's console closed, not because time passed.
    const HyperVSettings settings = waiting_on_a_pipe(kTimeouts, 120'000);
    {
      const auto run = HyperVRun::start(ComputeCore::load(), test_spec(), settings);
      const ExitStatus status = wait_for_end(*run);
      CHECK(status.kind == ExitStatus::Kind::setup_failed);
      CHECK(status.message.find("stopped before its guest agent connected") != std::string::npos);
      CHECK(status.message.find("The guest's console ended with:\n") != std::string::npos);
      CHECK(status.message.find("Kernel panic - not syncing: Attempted to kill init!") != std::string::npos);
      CHECK(status.message.find("end Kernel panic") != std::string::npos);
      CHECK(status.message.find('\r') == std::string::npos);
    }
    const auto journal = fake.journal();
    const std::string pipe = fake.configuration()["VirtualMachine"]["Devices"]["ComPorts"]["0"]["NamedPipe"];
    CHECK(pipe.starts_with("\\\\.\\pipe\\airlock-console-"));
    CHECK(contains_line(journal, "serve-console " + pipe));
    CHECK(line_index(journal, "start-compute-system sys1 op3") < line_index(journal, "terminate-compute-system sys1 op4"));
    CHECK(journal.back() == "revoke-vm-access C:\\airlock\\system.vhd");
  }

  TEST_CASE("windows hcs fake: a kill while the VM starts cancels the start and terminates the VM at once; the "
            "start's operation is closed only once it ended") {
    const FakeComputeCore fake;
    fake.scenario("start:block");
    // A start that would wait 10 minutes: only the kill can end it in this test's time.
    HcsTimeouts timeouts = kTimeouts;
    timeouts.start_ms = 600'000;
    const HyperVSettings settings = waiting_on_a_pipe(timeouts, 600'000);
    {
      const auto run = HyperVRun::start(ComputeCore::load(), test_spec(), settings);
      // The start is under way once the fake has seen its wait.
      for (int i = 0; i < 6000 && !contains_line(fake.journal(), "wait op3 600000ms"); ++i) ::Sleep(10);
      REQUIRE(contains_line(fake.journal(), "wait op3 600000ms"));
      run->kill();
      const ExitStatus status = wait_for_end(*run);
      CHECK(status.kind == ExitStatus::Kind::signaled);
      CHECK(status.signal == 9);
      // The kill's own calls were made before it returned.
      const auto after_kill = fake.journal();
      CHECK(contains_line(after_kill, "cancel op3"));
      CHECK(contains_line(after_kill, "terminate-compute-system sys1 op4"));
    }
    const auto journal = fake.journal();
    // The start's wait ended because of the kill, not its timeout: no second, bounded wait after a timeout's cancel.
    CHECK(contains_line(journal, "op3 ended by cancel"));
    CHECK_FALSE(contains_line(journal, "wait op3 50ms"));
    CHECK(line_index(journal, "wait op3 600000ms") < line_index(journal, "cancel op3"));
    CHECK(line_index(journal, "cancel op3") < line_index(journal, "terminate-compute-system sys1 op4"));
    // Handles closed only after their operations ended, the system's last.
    CHECK(line_index(journal, "op3 ended by cancel") < line_index(journal, "close-operation op3"));
    CHECK(line_index(journal, "close-operation op3") < line_index(journal, "close-compute-system sys1"));
    CHECK(line_index(journal, "close-operation op4") < line_index(journal, "close-compute-system sys1"));
    for (const std::string& line : journal) CHECK(line.find("while-pending") == std::string::npos);
    CHECK(journal.back() == "revoke-vm-access C:\\airlock\\system.vhd");
  }
}
