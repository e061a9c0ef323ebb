#include "sandbox/windows/wsb_config.h"

#include <string_view>

#include "sandbox/windows/command_line.h"

namespace airlock::sandbox::windows {
namespace {

std::string xml_escaped(std::string_view text) {
  std::string escaped;
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&apos;"; break;
      default: escaped.push_back(c);
    }
  }
  return escaped;
}

}  // namespace

std::string windows_sandbox_folder(const WindowsPath& workspace) {
  const auto& parts = workspace.components();
  // A drive's root has no name of its own; the folder is named after the drive then.
  const std::string name = parts.empty() ? std::string("drive-") + workspace.drive() : parts.back();
  return std::string(kWindowsSandboxDesktop) + "\\" + name;
}

std::string windows_sandbox_config(const WindowsSandboxRequest& request) {
  const std::string folder = windows_sandbox_folder(request.workspace);
  const std::string command =
      request.logon_command.empty() ? build_command_line({"explorer.exe", folder}) : request.logon_command;
  std::string xml = "<Configuration>\n";
  const auto element = [&xml](std::string_view indent, std::string_view name, std::string_view value) {
    xml += std::string(indent) + "<" + std::string(name) + ">" + xml_escaped(value) + "</" + std::string(name) + ">\n";
  };
  element("  ", "VGpu", "Disable");
  element("  ", "Networking", "Disable");
  element("  ", "AudioInput", "Disable");
  element("  ", "VideoInput", "Disable");
  element("  ", "ClipboardRedirection", "Disable");
  element("  ", "PrinterRedirection", "Disable");
  element("  ", "ProtectedClient", "Enable");
  element("  ", "MemoryInMB", std::to_string(request.memory_mb));
  xml += "  <MappedFolders>\n    <MappedFolder>\n";
  element("      ", "HostFolder", request.workspace.str());
  element("      ", "SandboxFolder", folder);
  element("      ", "ReadOnly", "true");
  xml += "    </MappedFolder>\n  </MappedFolders>\n  <LogonCommand>\n";
  element("    ", "Command", command);
  xml += "  </LogonCommand>\n</Configuration>\n";
  return xml;
}

}  // namespace airlock::sandbox::windows
