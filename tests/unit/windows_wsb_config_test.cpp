#include <doctest/doctest.h>

#include "sandbox/windows/wsb_config.h"

using namespace airlock::sandbox::windows;

namespace {
bool has(const std::string& xml, const std::string& line) { return xml.find(line) != std::string::npos; }
}  // namespace

TEST_CASE("windows wsb: networking and vGPU off, the workspace mapped read-only, opened at logon") {
  const std::string xml = windows_sandbox_config({.workspace = *WindowsPath::parse("C:\\src\\My App")});
  CHECK(xml.starts_with("<Configuration>\n"));
  CHECK(has(xml, "<Networking>Disable</Networking>"));
  CHECK(has(xml, "<VGpu>Disable</VGpu>"));
  CHECK(has(xml, "<ClipboardRedirection>Disable</ClipboardRedirection>"));
  CHECK(has(xml, "<MemoryInMB>4096</MemoryInMB>"));
  CHECK(has(xml, "<HostFolder>C:\\src\\My App</HostFolder>"));
  CHECK(has(xml, "<SandboxFolder>C:\\Users\\WDAGUtilityAccount\\Desktop\\My App</SandboxFolder>"));
  CHECK(has(xml, "<ReadOnly>true</ReadOnly>"));
  CHECK(has(xml, "<Command>explorer.exe &quot;C:\\Users\\WDAGUtilityAccount\\Desktop\\My App&quot;</Command>"));
}

TEST_CASE("windows wsb: names and commands are escaped as XML") {
  const std::string xml = windows_sandbox_config(
      {.workspace = *WindowsPath::parse("\\\\nas\\share\\R&D 'new'"), .memory_mb = 2048,
       .logon_command = "cmd /c echo a<b & pause"});
  CHECK(has(xml, "<HostFolder>\\\\nas\\share\\R&amp;D &apos;new&apos;</HostFolder>"));
  CHECK(has(xml, "<Command>cmd /c echo a&lt;b &amp; pause</Command>"));
  CHECK(has(xml, "<MemoryInMB>2048</MemoryInMB>"));
  CHECK_FALSE(has(xml, "R&D"));
}

TEST_CASE("windows wsb: a drive's root gets a folder name of its own") {
  CHECK(windows_sandbox_folder(*WindowsPath::parse("E:\\")) == "C:\\Users\\WDAGUtilityAccount\\Desktop\\drive-E");
}
