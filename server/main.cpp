#include <cstdio>
#include <string>
#include <vector>

#include "server/cli.h"
#include "server/platform/signals.h"

namespace {

constexpr const char* kUsage = R"(airlock — run untrusted code in a fresh sandbox, from an editor or a terminal

usage:
  airlock serve [--config FILE] [--log-file FILE] [--log-level LEVEL]
      JSON-RPC server on stdin/stdout (LSP framing), started by editor extensions.
  airlock run [--lang LANG] [--workspace DIR] [--mode readonly|readwrite] [--network none|host] [--isolation process|vm]
              [--timeout-ms N] [--memory-mb N] [--config FILE] FILE|- [-- ARGS...]
      Runs one program in the sandbox and streams its output; exits with its exit code. Ctrl-C cancels.
  airlock doctor [--json]
      Reports which isolation works on this host, each protection, and why not.
  airlock wsb [--workspace DIR] [--output FILE] [--memory-mb N] [--logon-command CMD]
      Writes a Windows Sandbox configuration (.wsb) that maps the folder read-only, with networking and the
      virtual GPU off (to stdout without --output).
  airlock --version
)";

}  // namespace

int main(int argc, char** argv) {
  airlock::server::platform::ignore_broken_pipe_signal();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::printf("airlock %s\n", AIRLOCK_VERSION);
    return 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "serve") return airlock::server::serve_command(args);
  if (command == "run") return airlock::server::run_command(args);
  if (command == "doctor") return airlock::server::doctor_command(args);
  if (command == "wsb") return airlock::server::wsb_command(args);
  std::fprintf(stderr, "airlock: unknown command \"%s\"\n\n%s", command.c_str(), kUsage);
  return 2;
}
