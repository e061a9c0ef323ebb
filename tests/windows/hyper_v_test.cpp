// Hyper-V isolation's pieces that Wine can run: finding the guest image, and the HvSocket listener's refusal where
// the host has no AF_HYPERV. The listener itself, a real VM and its agent need a Windows host with Hyper-V: the
// hyper-v suite at the end, skipped under Wine.

#include <doctest/doctest.h>

#include <winsock2.h>
#include <windows.h>
#include <hvsocket.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "sandbox/backend.h"
#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/agent_session.h"
#include "sandbox/windows/hv_socket_listener.h"
#include "sandbox/windows/hyper_v_image.h"
#include "sandbox/windows/utf16.h"
#include "test_helpers.h"

using namespace airlock::sandbox;
using namespace airlock::sandbox::windows;
using namespace airlock::windows_tests;

namespace {

// A folder of its own under the temporary folder, removed with its files at the end.
class ImageFolder {
 public:
  ImageFolder() {
    wchar_t temp[MAX_PATH];
    const DWORD length = ::GetTempPathW(MAX_PATH, temp);
    path_ = to_utf8(std::wstring_view(temp, length)) + "airlock-image-test-" + std::to_string(::GetCurrentProcessId());
    REQUIRE(::CreateDirectoryW(to_utf16(path_).c_str(), nullptr));
    ::_wputenv_s(L"AIRLOCK_VM_IMAGE_DIR", to_utf16(path_).c_str());
  }
  ~ImageFolder() {
    for (const char* file : {kGuestKernelFile, kGuestInitramfsFile, kGuestSystemDiskFile})
      ::DeleteFileW(to_utf16(path_ + "\\" + file).c_str());
    ::RemoveDirectoryW(to_utf16(path_).c_str());
    ::_wputenv_s(L"AIRLOCK_VM_IMAGE_DIR", L"");
  }
  void add(const char* file) const { std::ofstream(std::filesystem::path(to_utf16(path_ + "\\" + file))) << "not a real image"; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

TEST_CASE("windows hyper-v image: a missing kernel, initramfs or system disk names the file and the fix; all three "
          "found are the image") {
  const ImageFolder folder;
  auto image = find_hyper_v_image();
  REQUIRE(std::holds_alternative<std::string>(image));
  CHECK(std::get<std::string>(image).find(folder.path() + "\\vmlinux is missing") != std::string::npos);
  CHECK(std::get<std::string>(image).find("Fix:") != std::string::npos);

  folder.add(kGuestKernelFile);
  image = find_hyper_v_image();
  REQUIRE(std::holds_alternative<std::string>(image));
  CHECK(std::get<std::string>(image).find("initramfs.cpio is missing") != std::string::npos);

  folder.add(kGuestInitramfsFile);
  image = find_hyper_v_image();
  REQUIRE(std::holds_alternative<std::string>(image));
  CHECK(std::get<std::string>(image).find(folder.path() + "\\system.vhd is missing") != std::string::npos);
  CHECK(std::get<std::string>(image).find("scripts/package-windows") != std::string::npos);

  folder.add(kGuestSystemDiskFile);
  image = find_hyper_v_image();
  REQUIRE(std::holds_alternative<GuestImage>(image));
  CHECK(std::get<GuestImage>(image).kernel.str() == folder.path() + "\\vmlinux");
  CHECK(std::get<GuestImage>(image).initramfs.str() == folder.path() + "\\initramfs.cpio");
  REQUIRE(std::get<GuestImage>(image).system_disk);
  CHECK(std::get<GuestImage>(image).system_disk->str() == folder.path() + "\\system.vhd");
}

TEST_CASE("windows hvsocket: a host without AF_HYPERV refuses the agent's listener with the cause and the fix" *
          doctest::skip(!running_under_wine())) {
  const GuidFields vm_id = *parse_guid("6f1c4c3e-0d1b-4a7c-9a55-2b7f3e0c1d2a");
  try {
    HvSocketListener::listen(vm_id, kAgentVsockPort);
    FAIL("Wine has no HvSocket, yet the listener was made");
  } catch (const SandboxUnavailable& error) {
    const std::string message = error.what();
    CHECK(message.find("HvSocket (AF_HYPERV)") != std::string::npos);
    CHECK(message.find("Fix:") != std::string::npos);
  }
}

TEST_SUITE("hyper-v") {
  // The host's own loopback partition stands in for a VM: the listener and the relay over a real HvSocket, the
  // test's thread playing the agent with the protocol's codec.
  TEST_CASE("windows hvsocket: the relay speaks with an agent over a loopback HvSocket" *
            doctest::skip(running_under_wine()) * doctest::description(kNeedsWindowsHost)) {
    const GuidFields loopback = *parse_guid("e0e16197-dd56-4a10-9195-5ee7a155a838");  // HV_GUID_LOOPBACK
    const auto listener = HvSocketListener::listen(loopback, kAgentVsockPort);
    std::string agent_received;
    std::thread agent([&] {
      UniqueSocket socket(::WSASocketW(34, SOCK_STREAM, HV_PROTOCOL_RAW, nullptr, 0, 0));
      REQUIRE(static_cast<bool>(socket));
      SOCKADDR_HV address{};
      address.Family = 34;
      address.VmId = HV_GUID_LOOPBACK;
      address.ServiceId = HV_GUID_VSOCK_TEMPLATE;
      address.ServiceId.Data1 = kAgentVsockPort;
      REQUIRE(::connect(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
      vm::FrameDecoder decoder(vm::Direction::to_guest);
      while (true) {
        char buffer[4096];
        const int n = ::recv(socket.get(), buffer, sizeof buffer, 0);
        REQUIRE(n > 0);
        decoder.push(std::string_view(buffer, static_cast<std::size_t>(n)));
        if (auto frame = decoder.next()) {
          agent_received = frame->payload;
          break;
        }
      }
      const std::string reply = vm::encode_frame(vm::MessageType::stdout_data, "over hvsocket") +
                                vm::encode_frame(vm::MessageType::exit, vm::encode_exit(ExitStatus{.code = 0}));
      REQUIRE(::send(socket.get(), reply.data(), static_cast<int>(reply.size()), 0) == static_cast<int>(reply.size()));
    });
    auto agent_channel = listener->accept(10'000, {});
    REQUIRE(agent_channel);
    AgentStreamRelay relay(std::move(*agent_channel), "launch", [] {});
    REQUIRE(::WaitForSingleObject(relay.done_event(), 10'000) == WAIT_OBJECT_0);
    agent.join();
    CHECK(agent_received == "launch");
    REQUIRE(relay.outcome().report);
    CHECK(relay.outcome().report->code == 0);
  }
}
