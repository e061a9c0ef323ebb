#include "sandbox/windows/hv_socket_listener.h"

#include <winsock2.h>
#include <hvsocket.h>

#include <string>

#include "sandbox/backend.h"
#include "sandbox/windows/hcs_document.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

// ws2def.h of mingw-w64 10 does not name it yet.
constexpr int kAfHyperV = 34;

GUID to_guid(const GuidFields& fields) {
  GUID guid{};
  guid.Data1 = fields.data1;
  guid.Data2 = fields.data2;
  guid.Data3 = fields.data3;
  for (std::size_t i = 0; i < fields.data4.size(); ++i) guid.Data4[i] = fields.data4[i];
  return guid;
}

void start_winsock() {
  static const int started = [] {
    WSADATA data;
    return ::WSAStartup(MAKEWORD(2, 2), &data);
  }();
  if (started != 0) throw SandboxUnavailable("Winsock did not start: " + windows_error_text(started));
}

[[noreturn]] void unavailable(const std::string& what, int error) {
  throw SandboxUnavailable(what + ": " + windows_error_text(static_cast<DWORD>(error)) + " (error " +
                           std::to_string(error) +
                           "). Fix: enable Hyper-V (Windows features: Hyper-V, and Virtual Machine Platform), or use "
                           "isolation \"process\"");
}

}  // namespace

std::unique_ptr<HvSocketListener> HvSocketListener::listen(const GuidFields& vm_id, std::uint32_t vsock_port) {
  start_winsock();
  UniqueSocket socket(::WSASocketW(kAfHyperV, SOCK_STREAM, HV_PROTOCOL_RAW, nullptr, 0,
                                   WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT));
  if (!socket) unavailable("this host has no HvSocket (AF_HYPERV) for reaching the VM's guest agent", ::WSAGetLastError());
  SOCKADDR_HV address{};
  address.Family = kAfHyperV;
  address.VmId = to_guid(vm_id);
  address.ServiceId = to_guid(*parse_guid(hv_socket_service_id(vsock_port)));
  if (::bind(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
    unavailable("binding the guest agent's HvSocket service (vsock port " + std::to_string(vsock_port) + ")",
                ::WSAGetLastError());
  if (::listen(socket.get(), 1) != 0) unavailable("listening for the guest agent", ::WSAGetLastError());
  UniqueHandle accept_ready(::WSACreateEvent());
  if (!accept_ready) unavailable("making the event the agent's connection signals", ::WSAGetLastError());
  if (::WSAEventSelect(socket.get(), accept_ready.get(), FD_ACCEPT) != 0)
    unavailable("waiting for the guest agent's connection", ::WSAGetLastError());
  return std::unique_ptr<HvSocketListener>(new HvSocketListener(std::move(socket), std::move(accept_ready)));
}

std::optional<AgentChannel> HvSocketListener::accept(DWORD timeout_ms, const std::vector<HANDLE>& aborts) {
  std::vector<HANDLE> waits{accept_ready_.get()};
  waits.insert(waits.end(), aborts.begin(), aborts.end());
  const DWORD woken = ::WaitForMultipleObjects(static_cast<DWORD>(waits.size()), waits.data(), FALSE, timeout_ms);
  if (woken == WAIT_TIMEOUT)
    throw SandboxUnavailable("the utility VM's guest agent did not connect within " + std::to_string(timeout_ms / 1000) +
                             " s: the guest did not boot, or its image lacks the Hyper-V socket drivers "
                             "(hv_vmbus, hv_sock). Fix: install the guest image built for Hyper-V beside airlock.exe");
  if (woken == WAIT_FAILED) unavailable("waiting for the guest agent's connection", static_cast<int>(::GetLastError()));
  if (woken != WAIT_OBJECT_0) return std::nullopt;
  UniqueSocket connection(::accept(socket_.get(), nullptr, nullptr));
  if (!connection) unavailable("accepting the guest agent's connection", ::WSAGetLastError());
  // The accepted socket inherits the listener's event selection and non-blocking mode; the relay wants neither.
  u_long blocking = 0;
  if (::WSAEventSelect(connection.get(), nullptr, 0) != 0 || ::ioctlsocket(connection.get(), FIONBIO, &blocking) != 0)
    unavailable("preparing the guest agent's connection", ::WSAGetLastError());
  return AgentSocket{.socket = std::move(connection), .family = kAfHyperV, .protocol = HV_PROTOCOL_RAW};
}

}  // namespace airlock::sandbox::windows
