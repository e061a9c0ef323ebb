// A FAKE computecore.dll, for testing the HCS client's document and operation handling under Wine (which has no
// Host Compute Service). It runs no VM and proves nothing about Hyper-V: it records every call it gets in a journal
// the tests read back, and completes, fails or hangs operations as the test's scenario says, so that the client's
// timeouts, cancels and the order it closes handles in can be checked.
//
// Scenario: "CALL:BEHAVIOUR[,...]" with CALL one of create, properties, start, terminate and BEHAVIOUR one of
//   hang         the operation never completes until cancelled (a wait for it times out at once)
//   deaf         the operation never completes, not even when cancelled
//   block        the operation's wait really waits, until the operation is cancelled or its system terminated
//   fail=HEX     the operation completes with that HRESULT and an error document
//   refuse=HEX   the call itself returns that HRESULT (the operation never starts)
//   panic        (start only) the start completes, then the "guest" panics: the fake serves the document's COM1
//                named pipe as Hyper-V does, writes a kernel panic to the client that connects, and closes it, as a
//                VM that stops on the guest's reset does

#include <windows.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

constexpr HRESULT kOperationTimeout = static_cast<HRESULT>(0x80370118);
constexpr HRESULT kCancelled = HRESULT_FROM_WIN32(ERROR_CANCELLED);
#define FAKE_RUNTIME_ID L"6f1c4c3e-0d1b-4a7c-9a55-2b7f3e0c1d2a"

constexpr HRESULT kTerminated = static_cast<HRESULT>(0x80370107);  // HCS_E_TERMINATED
constexpr const char* kGuestPanic =
    "[    1.204817] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100\r\n"
    "[    1.205002] CPU: 0 PID: 1 Comm: init Not tainted 6.1.0 #1\r\n"
    "[    1.205311] ---[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100 ]---\r\n";

struct System {
  int id = 0;
  std::wstring console_pipe;  // the document's COM1 pipe
};

struct Operation {
  int id = 0;
  bool started = false;
  bool pending = false;
  bool deaf = false;
  bool blocking = false;
  System* system = nullptr;  // the system it works on, if any
  HRESULT result = S_OK;
  std::wstring document;
};

std::mutex lock;
std::condition_variable operation_ended;
std::vector<Operation*> blocked;  // pending "block" operations, ended by a cancel or their system's terminate
std::string scenario;
std::string journal;
std::wstring last_configuration;
int operation_count = 0;
int system_count = 0;

void note(const std::string& line) { journal += line + "\n"; }

std::string name(const Operation* operation) { return "op" + std::to_string(operation->id); }

// The behaviour the scenario gives call, or "".
std::string behaviour(const char* call) {
  const std::string key = std::string(call) + ":";
  for (std::size_t at = 0; at < scenario.size();) {
    const std::size_t end = scenario.find(',', at);
    const std::string entry = scenario.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (entry.rfind(key, 0) == 0) return entry.substr(key.size());
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return {};
}

HRESULT hex_after(const std::string& text, const char* prefix) {
  return static_cast<HRESULT>(std::strtoul(text.c_str() + std::strlen(prefix), nullptr, 16));
}

// Starts operation for call as the scenario says; returns what the call itself returns.
HRESULT begin(const char* call, Operation* operation) {
  const std::string what = behaviour(call);
  if (what.rfind("refuse=", 0) == 0) return hex_after(what, "refuse=");
  operation->started = true;
  if (what == "hang" || what == "deaf" || what == "block") {
    operation->pending = true;
    operation->deaf = what == "deaf";
    operation->blocking = what == "block";
    if (operation->blocking) blocked.push_back(operation);
  } else if (what.rfind("fail=", 0) == 0) {
    operation->result = hex_after(what, "fail=");
    operation->document = L"{\"Error\":-1,\"ErrorMessage\":\"the fake was told to fail " +
                          std::wstring(call, call + std::strlen(call)) + L"\"}";
  }
  return S_OK;
}

std::string narrow(const std::wstring& text) {
  std::string result;
  for (const wchar_t c : text) result.push_back(static_cast<char>(c));
  return result;
}

// Plays the guest's serial console: serves the pipe as Hyper-V's VM worker does, and once the host's reader is
// connected writes a kernel panic and closes it, as a VM whose guest panicked (panic=-1, StopOnReset) stops.
void serve_panicking_console(const std::wstring& pipe_name) {
  const HANDLE pipe = ::CreateNamedPipeW(pipe_name.c_str(), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT, 1, 4096,
                                         4096, 0, nullptr);
  if (pipe == INVALID_HANDLE_VALUE) {
    note("console-pipe-failed " + narrow(pipe_name) + " error " + std::to_string(::GetLastError()));
    return;
  }
  note("serve-console " + narrow(pipe_name));
  std::thread([pipe] {
    if (::ConnectNamedPipe(pipe, nullptr) || ::GetLastError() == ERROR_PIPE_CONNECTED) {
      DWORD written = 0;
      ::WriteFile(pipe, kGuestPanic, static_cast<DWORD>(std::strlen(kGuestPanic)), &written, nullptr);
      ::FlushFileBuffers(pipe);  // until the reader has it all: closing drops what it has not read
    }
    ::CloseHandle(pipe);
  }).detach();
}

// Ends the blocked operations on system (or the one operation) with result, waking their waits.
void release_blocked(System* system, Operation* only, HRESULT result, const std::string& why) {
  for (auto it = blocked.begin(); it != blocked.end();) {
    Operation* operation = *it;
    if ((only && operation != only) || (!only && operation->system != system)) {
      ++it;
      continue;
    }
    operation->pending = false;
    operation->result = result;
    note(name(operation) + " ended by " + why);
    it = blocked.erase(it);
  }
  operation_ended.notify_all();
}

}  // namespace

extern "C" {

// The fake's own controls, found by the tests with GetProcAddress.
void WINAPI FakeHcsSetScenario(const char* text) {
  std::lock_guard guard(lock);
  scenario = text;
  journal.clear();
  last_configuration.clear();
  operation_count = 0;
  system_count = 0;
  blocked.clear();
}

// The journal so far, one call a line; the pointer is valid until the next call into the fake.
const char* WINAPI FakeHcsJournal() {
  std::lock_guard guard(lock);
  static std::string copy;
  copy = journal;
  return copy.c_str();
}

const wchar_t* WINAPI FakeHcsLastConfiguration() {
  std::lock_guard guard(lock);
  static std::wstring copy;
  copy = last_configuration;
  return copy.c_str();
}

void* WINAPI HcsCreateOperation(const void*, void*) {
  std::lock_guard guard(lock);
  auto* operation = new Operation{.id = ++operation_count};
  note("create-operation " + name(operation));
  return operation;
}

void WINAPI HcsCloseOperation(void* handle) {
  std::lock_guard guard(lock);
  auto* operation = static_cast<Operation*>(handle);
  note("close-operation " + name(operation) + (operation->pending ? " while-pending" : ""));
  if (!operation->pending) delete operation;
}

HRESULT WINAPI HcsWaitForOperationResult(void* handle, DWORD timeout_ms, wchar_t** document) {
  std::unique_lock guard(lock);
  auto* operation = static_cast<Operation*>(handle);
  note("wait " + name(operation) + " " + std::to_string(timeout_ms) + "ms");
  *document = nullptr;
  if (!operation->started) return E_INVALIDARG;
  if (operation->blocking)
    operation_ended.wait_for(guard, std::chrono::milliseconds(timeout_ms), [operation] { return !operation->pending; });
  if (operation->pending) return kOperationTimeout;  // the time passes at once: nothing would ever complete it
  if (!operation->document.empty()) {
    const std::size_t bytes = (operation->document.size() + 1) * sizeof(wchar_t);
    *document = static_cast<wchar_t*>(::LocalAlloc(LMEM_FIXED, bytes));
    std::memcpy(*document, operation->document.c_str(), bytes);
  }
  return operation->result;
}

HRESULT WINAPI HcsCancelOperation(void* handle) {
  std::lock_guard guard(lock);
  auto* operation = static_cast<Operation*>(handle);
  note("cancel " + name(operation));
  if (operation->blocking && operation->pending) {
    release_blocked(nullptr, operation, kCancelled, "cancel");
  } else if (operation->pending && !operation->deaf) {
    operation->pending = false;
    operation->result = kCancelled;
  }
  return S_OK;
}

HRESULT WINAPI HcsCreateComputeSystem(const wchar_t* id, const wchar_t* configuration, void* handle, const void*,
                                      void** system) {
  std::lock_guard guard(lock);
  auto* operation = static_cast<Operation*>(handle);
  note("create-compute-system " + narrow(id) + " " + name(operation));
  last_configuration = configuration;
  const HRESULT result = begin("create", operation);
  if (SUCCEEDED(result)) {
    auto* made = new System{.id = ++system_count};
    const auto document = nlohmann::json::parse(narrow(configuration), nullptr, false);
    const auto pipe = nlohmann::json::json_pointer("/VirtualMachine/Devices/ComPorts/0/NamedPipe");
    if (document.contains(pipe)) {
      const std::string name = document[pipe];
      made->console_pipe.assign(name.begin(), name.end());
    }
    *system = made;
  }
  return result;
}

HRESULT WINAPI HcsStartComputeSystem(void* system, void* handle, const wchar_t*) {
  std::lock_guard guard(lock);
  auto* operation = static_cast<Operation*>(handle);
  auto* started = static_cast<System*>(system);
  note("start-compute-system sys" + std::to_string(started->id) + " " + name(operation));
  operation->system = started;
  if (behaviour("start") == "panic") {
    operation->started = true;
    serve_panicking_console(started->console_pipe);
    return S_OK;
  }
  return begin("start", operation);
}

HRESULT WINAPI HcsTerminateComputeSystem(void* system, void* handle, const wchar_t*) {
  std::lock_guard guard(lock);
  auto* operation = static_cast<Operation*>(handle);
  auto* terminated = static_cast<System*>(system);
  note("terminate-compute-system sys" + std::to_string(terminated->id) + " " + name(operation));
  release_blocked(terminated, nullptr, kTerminated, "terminate");
  return begin("terminate", operation);
}

// Answers with a fixed runtime id, as HCS gives each VM its own.
HRESULT WINAPI HcsGetComputeSystemProperties(void* system, void* handle, const wchar_t*) {
  std::lock_guard guard(lock);
  auto* operation = static_cast<Operation*>(handle);
  note("get-properties sys" + std::to_string(static_cast<System*>(system)->id) + " " + name(operation));
  const HRESULT result = begin("properties", operation);
  if (SUCCEEDED(result) && operation->document.empty())
    operation->document = L"{\"RuntimeId\":\"" FAKE_RUNTIME_ID L"\"}";
  return result;
}

void WINAPI HcsCloseComputeSystem(void* handle) {
  std::lock_guard guard(lock);
  auto* system = static_cast<System*>(handle);
  note("close-compute-system sys" + std::to_string(system->id));
  delete system;
}

HRESULT WINAPI HcsGrantVmAccess(const wchar_t*, const wchar_t* file) {
  std::lock_guard guard(lock);
  note("grant-vm-access " + narrow(file));
  return S_OK;
}

HRESULT WINAPI HcsRevokeVmAccess(const wchar_t*, const wchar_t* file) {
  std::lock_guard guard(lock);
  note("revoke-vm-access " + narrow(file));
  return S_OK;
}

}  // extern "C"
