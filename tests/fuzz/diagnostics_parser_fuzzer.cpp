// Fuzzes one diagnostics parser (chosen at build time by AIRLOCK_FUZZ_PARSER) and the mapping of its findings
// onto editor documents: a program's stderr is untrusted and may hold anything.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/diagnostics/gcc_json_parser.h"
#include "server/diagnostics/gcc_text_parser.h"
#include "server/diagnostics/mapper.h"
#include "server/diagnostics/node_parser.h"
#include "server/diagnostics/python_parser.h"
#include "server/diagnostics/shell_parser.h"

namespace diagnostics = airlock::server::diagnostics;

namespace {

// A snippet run in a workspace, as the server maps them; the first input bytes double as the snippet's text,
// so snippet line numbers point at lines that exist.
diagnostics::MappingContext mapping_context(std::string_view output) {
  return {.snippet_path = "/airlock/snippet.py",
          .snippet_text = std::string(output.substr(0, 256)),
          .source = airlock::protocol::Source{.uri = "file:///workspace/main.py", .line = 3},
          .workspace_path = "/workspace",
          .workspace_uri = "file:///workspace",
          .working_directory = "/workspace",
          .read_workspace_file = [](const std::string&) -> std::optional<std::string> {
            return "first line\nsecond line\nthird line\n";
          }};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view output(reinterpret_cast<const char*>(data), size);
  const auto findings = AIRLOCK_FUZZ_PARSER(output);
  diagnostics::map_findings(findings, mapping_context(output));
  return 0;
}
