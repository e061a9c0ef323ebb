#include <doctest/doctest.h>

#include "sandbox/windows/guid_text.h"
#include "sandbox/windows/hcs_document.h"

using namespace airlock::sandbox::windows;

TEST_CASE("windows guid: the agent's HvSocket service reads back as Hyper-V's vsock template with the port") {
  // HV_GUID_VSOCK_TEMPLATE is 00000000-facb-11e6-bd58-64006a7986d3; a vsock port fills its first field.
  const auto service = parse_guid(hv_socket_service_id(kAgentVsockPort));
  REQUIRE(service);
  CHECK(service->data1 == kAgentVsockPort);
  CHECK(service->data2 == 0xfacb);
  CHECK(service->data3 == 0x11e6);
  CHECK(service->data4 == std::array<std::uint8_t, 8>{0xbd, 0x58, 0x64, 0x00, 0x6a, 0x79, 0x86, 0xd3});
  CHECK(parse_guid("{" + hv_socket_service_id(1) + "}") == parse_guid(hv_socket_service_id(1)));
  CHECK(parse_guid("ABCDEF01-2345-6789-ABCD-EF0123456789")->data1 == 0xabcdef01u);
}

TEST_CASE("windows guid: anything but 8-4-4-4-12 hex digits is refused") {
  for (const char* text : {"", "0000b3b0-facb-11e6-bd58-64006a7986d", "0000b3b0-facb-11e6-bd58-64006a7986d3x",
                           "0000b3b0facb-11e6-bd58-64006a7986d3-", "0000b3b0-facb-11e6-bd58-64006a7986dg",
                           "+000b3b0-facb-11e6-bd58-64006a7986d3", "0000b3b0-fac -11e6-bd58-64006a7986d3",
                           "{0000b3b0-facb-11e6-bd58-64006a7986d3"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_guid(text));
  }
}
