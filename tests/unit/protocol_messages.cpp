#include <doctest/doctest.h>

#include <random>
#include <string>

#include "protocol/messages.h"

namespace airlock::protocol {
namespace {

// Encodes, then decodes as params: the value must survive unchanged.
template <class T>
void check_round_trip(const T& value) {
  const json encoded = value;
  CAPTURE(encoded.dump());
  CHECK(decode_params<T>(encoded) == value);
  CHECK(decode_params<T>(json::parse(encoded.dump())) == value);
}

// Decoding `params` must fail with exactly this message (which starts with the path).
template <class T>
void check_rejected(const json& params, const std::string& expected_message) {
  CAPTURE(params.dump());
  try {
    decode_params<T>(params);
    FAIL("decoded without error; expected: " << expected_message);
  } catch (const ParamsError& error) {
    CHECK(std::string(error.what()) == expected_message);
    CHECK(expected_message.rfind(error.path + ": ", 0) == 0);
  }
}

json random_value(std::mt19937& random, int depth = 0) {
  switch (std::uniform_int_distribution<int>(0, depth > 2 ? 6 : 8)(random)) {
    case 0: return nullptr;
    case 1: return std::uniform_int_distribution<int>(0, 1)(random) == 1;
    case 2: return std::uniform_int_distribution<std::int64_t>(-3, 3)(random);
    case 3: return 18446744073709551615ull;
    case 4: return 0.5;
    case 5: return "";
    case 6: return "x=y";
    case 7: return json::array({random_value(random, depth + 1), random_value(random, depth + 1)});
    default: return json{{"uri", random_value(random, depth + 1)}, {"A", random_value(random, depth + 1)}};
  }
}

// Decoding arbitrary member values either succeeds or throws ParamsError: nothing else escapes.
template <class T>
void check_only_params_errors(const std::vector<std::string>& members, std::mt19937& random) {
  for (int round = 0; round < 2000; ++round) {
    json params = json::object();
    for (const auto& member : members)
      if (std::uniform_int_distribution<int>(0, 2)(random) > 0) params[member] = random_value(random);
    CAPTURE(params.dump());
    try {
      (void)decode_params<T>(params);
    } catch (const ParamsError& error) {
      CHECK(std::string(error.what()).rfind("params", 0) == 0);
    }
  }
}

json minimal_execute() { return {{"workspaceFolder", "/home/u/project"}, {"command", {"ls"}}}; }

json execute_with(const json& patch) {
  auto params = minimal_execute();
  params.merge_patch(patch);
  return params;
}

}  // namespace

TEST_CASE("messages: ExecuteParams defaults fill in what the client left out") {
  const auto params = decode_params<ExecuteParams>(minimal_execute());
  CHECK_FALSE(params.runId.has_value());
  CHECK(params.workspaceFolder == "/home/u/project");
  CHECK(params.command == std::vector<std::string>{"ls"});
  CHECK(params.args.empty());
  CHECK(params.cwd == ".");
  CHECK(params.env.empty());
  CHECK_FALSE(params.stdinText.has_value());
  CHECK_FALSE(params.interactive);
  CHECK_FALSE(params.source.has_value());
  CHECK_FALSE(params.policy.has_value());
  CHECK_FALSE(params.limits.has_value());
}

TEST_CASE("messages: unknown members are ignored and null optional members count as absent") {
  const auto params = decode_params<ExecuteParams>(
      execute_with({{"futureOption", {{"x", 1}}}, {"runId", nullptr}, {"limits", {{"gpuCount", 2}}}}));
  CHECK_FALSE(params.runId.has_value());
  REQUIRE(params.limits.has_value());
  CHECK(*params.limits == ExecuteLimits{});
}

TEST_CASE("messages: ExecuteParams round trip, with stdin under its wire name") {
  const ExecuteParams params{
      .runId = "run-1",
      .workspaceFolder = "file:///home/u/project",
      .code = "print('hi')\n",
      .language = "python",
      .args = {"--flag", "é"},
      .cwd = "src",
      .env = {{"A", "1"}, {"PATH_EXTRA", "/x:y"}},
      .stdinText = "input\n",
      .interactive = true,
      .source = Source{"file:///home/u/project/notes.md", 12},
      .policy = ExecutePolicy{"process", "none", "overlay"},
      .limits = ExecuteLimits{1000, 256, 16, 4096, 64, 5},
  };
  check_round_trip(params);
  const json encoded = params;
  CHECK(encoded.at("stdin") == "input\n");
  CHECK_FALSE(encoded.contains("stdinText"));

  ExecuteParams file_run;
  file_run.workspaceFolder = "/w";
  file_run.file = "main.py";
  check_round_trip(file_run);

  ExecuteParams command_run;
  command_run.workspaceFolder = "/w";
  command_run.command = std::vector<std::string>{"make", "test"};
  command_run.policy = ExecutePolicy{};
  command_run.limits = ExecuteLimits{.timeoutMs = 5};
  check_round_trip(command_run);
}

TEST_CASE("messages: ExecuteParams validation names the offending field") {
  check_rejected<ExecuteParams>(json::array(), "params: expected an object, got an array");
  check_rejected<ExecuteParams>(nullptr, "params: expected an object, got null");
  check_rejected<ExecuteParams>({{"command", {"ls"}}}, "params.workspaceFolder: is required");
  check_rejected<ExecuteParams>(execute_with({{"workspaceFolder", ""}}),
                                "params.workspaceFolder: expected a non-empty string, got the string \"\"");
  check_rejected<ExecuteParams>(execute_with({{"workspaceFolder", 3}}), "params.workspaceFolder: expected a string, got 3");
  check_rejected<ExecuteParams>({{"workspaceFolder", "/w"}},
                                "params: exactly one of code, file, command is required (got none)");
  check_rejected<ExecuteParams>(execute_with({{"code", "x"}, {"language", "python"}}),
                                "params: exactly one of code, file, command is required (got code, command)");
  check_rejected<ExecuteParams>({{"workspaceFolder", "/w"}, {"code", "x"}, {"file", "a.py"}, {"command", {"ls"}}},
                                "params: exactly one of code, file, command is required (got code, file, command)");
  check_rejected<ExecuteParams>({{"workspaceFolder", "/w"}, {"code", "x"}},
                                "params.language: is required with code (one of capabilities.sandbox.languages)");
  check_rejected<ExecuteParams>(execute_with({{"runId", ""}}), "params.runId: expected a non-empty string, got the string \"\"");
  check_rejected<ExecuteParams>(execute_with({{"command", json::array()}}), "params.command: expected a non-empty array");
  check_rejected<ExecuteParams>(execute_with({{"command", "ls -l"}}), "params.command: expected an array, got the string \"ls -l\"");
  check_rejected<ExecuteParams>(execute_with({{"command", {"ls", 1}}}), "params.command[1]: expected a string, got 1");
  check_rejected<ExecuteParams>(execute_with({{"command", {""}}}), "params.command[0]: expected the program to run, got an empty string");
  check_rejected<ExecuteParams>(execute_with({{"args", {"a", true}}}), "params.args[1]: expected a string, got true");
  check_rejected<ExecuteParams>(execute_with({{"args", {std::string("a\0b", 3)}}}),
                                "params.args[0]: must not contain a NUL character (\\u0000)");
  check_rejected<ExecuteParams>(execute_with({{"file", ""}, {"command", nullptr}}),
                                "params.file: expected a non-empty string, got the string \"\"");
  check_rejected<ExecuteParams>(execute_with({{"cwd", ""}}), "params.cwd: expected a non-empty string, got the string \"\"");
  check_rejected<ExecuteParams>(execute_with({{"env", {"A=1"}}}), "params.env: expected an object of strings, got an array");
  check_rejected<ExecuteParams>(execute_with({{"env", {{"A", 1}}}}), "params.env[\"A\"]: expected a string, got 1");
  check_rejected<ExecuteParams>(execute_with({{"env", {{"A=B", "x"}}}}),
                                "params.env[\"A=B\"]: an environment variable name must not contain '=' or NUL");
  check_rejected<ExecuteParams>(execute_with({{"env", {{"", "x"}}}}),
                                "params.env[\"\"]: an environment variable name must not be empty");
  check_rejected<ExecuteParams>(execute_with({{"stdin", 5}}), "params.stdin: expected a string, got 5");
  check_rejected<ExecuteParams>(execute_with({{"interactive", "yes"}}),
                                "params.interactive: expected true or false, got the string \"yes\"");
  check_rejected<ExecuteParams>(execute_with({{"language", ""}}), "params.language: expected a non-empty string, got the string \"\"");
}

TEST_CASE("messages: nested ExecuteParams members report their full path") {
  check_rejected<ExecuteParams>(execute_with({{"source", "notes.md"}}), "params.source: expected an object, got the string \"notes.md\"");
  check_rejected<ExecuteParams>(execute_with({{"source", {{"line", 1}}}}), "params.source.uri: is required");
  check_rejected<ExecuteParams>(execute_with({{"source", {{"uri", "file:///a"}, {"line", -1}}}}),
                                "params.source.line: expected a non-negative integer, got -1");
  check_rejected<ExecuteParams>(execute_with({{"policy", {{"network", "bridge"}}}}),
                                "params.policy.network: expected one of \"none\", \"host\", got the string \"bridge\"");
  check_rejected<ExecuteParams>(execute_with({{"policy", {{"workspace", "rw"}}}}),
                                "params.policy.workspace: expected one of \"readonly\", \"overlay\", \"readwrite\", got the string \"rw\"");
  check_rejected<ExecuteParams>(execute_with({{"policy", {{"isolation", ""}}}}),
                                "params.policy.isolation: expected a non-empty string, got the string \"\"");
  check_rejected<ExecuteParams>(execute_with({{"limits", {{"timeoutMs", 0}}}}),
                                "params.limits.timeoutMs: expected a positive integer, got 0");
  check_rejected<ExecuteParams>(execute_with({{"limits", {{"memoryMB", "512"}}}}),
                                "params.limits.memoryMB: expected a positive integer, got the string \"512\"");
  check_rejected<ExecuteParams>(execute_with({{"limits", {{"maxProcesses", 1.5}}}}),
                                "params.limits.maxProcesses: expected a positive integer, got 1.5");
  check_rejected<ExecuteParams>(execute_with({{"limits", {{"outputBytes", -1}}}}),
                                "params.limits.outputBytes: expected a positive integer, got -1");
  check_rejected<ExecuteParams>(execute_with({{"limits", {{"diskMB", 18446744073709551615ull}}}}),
                                "params.limits.diskMB: expected a positive integer, got 18446744073709551615");
  check_rejected<ExecuteParams>(execute_with({{"limits", {{"cpuSeconds", false}}}}),
                                "params.limits.cpuSeconds: expected a positive integer, got false");
}

TEST_CASE("messages: arbitrary member values give a ParamsError, never another exception") {
  std::mt19937 random(99);
  check_only_params_errors<ExecuteParams>({"runId", "workspaceFolder", "code", "file", "command", "language", "args", "cwd",
                                           "env", "stdin", "interactive", "source", "policy", "limits"},
                                          random);
  check_only_params_errors<RunResult>({"runId", "status", "exitCode", "signal", "limit", "durationMs", "stdoutBytes",
                                       "stderrBytes", "truncated", "changes", "message"},
                                      random);
  check_only_params_errors<InitializeParams>({"processId", "rootUri", "clientInfo", "capabilities"}, random);
  check_only_params_errors<PublishDiagnosticsParams>({"uri", "version", "diagnostics"}, random);
  check_only_params_errors<CancelRequestParams>({"id"}, random);
  check_only_params_errors<ApplyChangesParams>({"runId", "paths"}, random);
}

TEST_CASE("messages: RunStatus converts to and from its wire names") {
  for (const auto status : {RunStatus::ok, RunStatus::failed, RunStatus::cancelled, RunStatus::timeout, RunStatus::limit,
                            RunStatus::error}) {
    CHECK(run_status_from_string(to_string(status)) == status);
    CHECK(json(status) == to_string(status));
  }
  CHECK(to_string(RunStatus::cancelled) == "cancelled");
  CHECK_FALSE(run_status_from_string("OK").has_value());
  CHECK_FALSE(run_status_from_string("").has_value());
}

TEST_CASE("messages: RunResult always sends its nullable members and changes") {
  RunResult result;
  result.runId = "r1";
  result.status = RunStatus::ok;
  result.exitCode = 0;
  result.durationMs = 12.5;
  const json encoded = result;
  CHECK(encoded == json::parse(R"({"runId":"r1","status":"ok","exitCode":0,"signal":null,"limit":null,"durationMs":12.5,
                                  "stdoutBytes":0,"stderrBytes":0,"truncated":false,"changes":[]})"));
  check_round_trip(result);

  RunResult limited;
  limited.runId = "r2";
  limited.status = RunStatus::limit;
  limited.signal = "SIGKILL";
  limited.limit = "memory";
  limited.durationMs = 3;
  limited.stdoutBytes = 1 << 20;
  limited.stderrBytes = 7;
  limited.truncated = true;
  limited.changes = {{"src/a.py", "modified"}, {"new.txt", "added"}, {"old.txt", "deleted"}};
  limited.message = "the run used more than 256 MB of memory";
  check_round_trip(limited);
}

TEST_CASE("messages: RunResult validation") {
  const json valid = RunResult{.runId = "r", .status = RunStatus::failed, .exitCode = 1};
  auto with = [&](const json& patch) {
    auto value = valid;
    value.merge_patch(patch);
    return value;
  };
  check_rejected<RunResult>(with({{"status", "crashed"}}),
                            "params.status: expected one of \"ok\", \"failed\", \"cancelled\", \"timeout\", \"limit\", "
                            "\"error\", got the string \"crashed\"");
  check_rejected<RunResult>(with({{"exitCode", 4294967296}}),
                            "params.exitCode: expected an integer from -2147483648 to 2147483647, got 4294967296");
  check_rejected<RunResult>(with({{"limit", "gpu"}}),
                            "params.limit: expected one of \"memory\", \"processes\", \"output\", \"disk\", \"cpu\", got the string \"gpu\"");
  check_rejected<RunResult>(with({{"durationMs", -1}}), "params.durationMs: expected a non-negative number, got -1");
  check_rejected<RunResult>(with({{"stdoutBytes", -1}}), "params.stdoutBytes: expected a non-negative integer, got -1");
  check_rejected<RunResult>(with({{"changes", {{{"path", "a"}, {"kind", "renamed"}}}}}),
                            "params.changes[0].kind: expected one of \"added\", \"modified\", \"deleted\", got the string \"renamed\"");
  auto without_truncated = valid;
  without_truncated.erase("truncated");
  check_rejected<RunResult>(without_truncated, "params.truncated: is required");
}

TEST_CASE("messages: run notifications and steering requests round trip and validate") {
  check_round_trip(StartedParams{"r1", "process", "readonly"});
  check_round_trip(OutputParams{"r1", "stderr", "Traceback…\n", 41});
  check_round_trip(CancelRunParams{"r1"});
  check_round_trip(CancelRunResult{true});
  check_round_trip(InputParams{"r1", "yes\n", std::nullopt});
  check_round_trip(InputParams{"r1", "", true});

  check_rejected<StartedParams>({{"runId", "r"}, {"isolation", "process"}, {"workspace", "scratch"}},
                                "params.workspace: expected one of \"readonly\", \"overlay\", \"readwrite\", got the string \"scratch\"");
  check_rejected<OutputParams>({{"runId", "r"}, {"stream", "stdin"}, {"text", ""}, {"seq", 0}},
                               "params.stream: expected one of \"stdout\", \"stderr\", got the string \"stdin\"");
  check_rejected<OutputParams>({{"runId", "r"}, {"stream", "stdout"}, {"text", ""}, {"seq", -2}},
                               "params.seq: expected a non-negative integer, got -2");
  check_rejected<CancelRunParams>(json::object(), "params.runId: is required");
  check_rejected<CancelRunParams>({{"runId", 12}}, "params.runId: expected a non-empty string, got 12");
  check_rejected<CancelRunResult>({{"cancelled", 1}}, "params.cancelled: expected true or false, got 1");
  check_rejected<InputParams>({{"runId", "r"}}, "params.text: is required");
  check_rejected<InputParams>({{"runId", "r"}, {"text", "x"}, {"eof", "true"}},
                              "params.eof: expected true or false, got the string \"true\"");
}

TEST_CASE("messages: overlay review messages round trip and validate") {
  check_round_trip(ApplyChangesParams{"r1", std::nullopt});
  check_round_trip(ApplyChangesParams{"r1", std::vector<std::string>{"a.txt", "dir/b.txt"}});
  check_round_trip(ApplyChangesResult{{"a.txt"}, {"dir/b.txt"}});
  check_round_trip(ApplyChangesResult{});
  check_round_trip(DiscardChangesParams{"r1"});
  check_round_trip(ApplyChangesResult{{"a.txt"}, {}, {{"b.txt", "rename: Permission denied"}}});
  check_round_trip(ReadChangedFileParams{"r1", "dir/a.txt"});
  check_round_trip(ReadChangedFileResult{"a.txt", "modified", "file", "utf-8", "text\n", 0644, std::nullopt});
  check_round_trip(ReadChangedFileResult{"bin", "added", "file", "base64", "/wD+", 0600, std::nullopt});
  check_round_trip(ReadChangedFileResult{"link", "added", "symlink", "utf-8", std::nullopt, std::nullopt, "/etc/passwd"});
  check_round_trip(ReadChangedFileResult{"gone", "deleted", std::nullopt, "utf-8", std::nullopt, std::nullopt, std::nullopt});
  CHECK(json(ReadChangedFileResult{"gone", "deleted"}) ==
        json::parse(R"({"path":"gone","kind":"deleted","type":null,"encoding":"utf-8","content":null})"));
  CHECK(decode_params<ApplyChangesResult>({{"applied", {"a"}}, {"conflicts", json::array()}}).failed.empty());

  check_rejected<ApplyChangesParams>({{"runId", "r"}, {"paths", {"a", 2}}}, "params.paths[1]: expected a string, got 2");
  check_rejected<ApplyChangesParams>({{"runId", "r"}, {"paths", {""}}}, "params.paths[0]: expected a non-empty string, got the string \"\"");
  check_rejected<ApplyChangesResult>({{"applied", json::array()}}, "params.conflicts: is required");
  check_rejected<DiscardChangesParams>({{"run", "r"}}, "params.runId: is required");
  check_rejected<ReadChangedFileParams>({{"runId", "r"}}, "params.path: is required");
  check_rejected<ReadChangedFileParams>({{"runId", "r"}, {"path", std::string("a\0b", 3)}},
                                        "params.path: must not contain a NUL character (\\u0000)");
  check_rejected<ReadChangedFileResult>({{"path", "a"}, {"kind", "renamed"}, {"encoding", "utf-8"}},
                                        "params.kind: expected one of \"added\", \"modified\", \"deleted\", got the string \"renamed\"");
  check_rejected<ReadChangedFileResult>({{"path", "a"}, {"kind", "added"}, {"encoding", "hex"}},
                                        "params.encoding: expected one of \"utf-8\", \"base64\", got the string \"hex\"");
  check_rejected<ApplyChangesResult>({{"applied", json::array()}, {"conflicts", json::array()}, {"failed", {{{"path", "a"}}}}},
                                     "params.failed[0].message: is required");
}

TEST_CASE("messages: initialize params and result round trip and validate") {
  check_round_trip(InitializeParams{});
  check_round_trip(InitializeParams{4242, "file:///home/u/project", ProgramInfo{"Visual Studio Code", "1.90"},
                                    json{{"window", {{"workDoneProgress", true}}}}});

  const auto lsp_style = decode_params<InitializeParams>(json::parse(R"({"processId":null,"rootUri":null,"capabilities":{}})"));
  CHECK_FALSE(lsp_style.processId.has_value());
  CHECK_FALSE(lsp_style.rootUri.has_value());
  CHECK(lsp_style.capabilities == json::object());
  CHECK(json(lsp_style) == json::parse(R"({"processId":null,"rootUri":null,"capabilities":{}})"));

  InitializeResult result;
  result.capabilities.sandbox = {{"python", "bash"}, {"process"}, {"readonly", "readwrite"}, true,
                                 LimitsCapability{ExecuteLimits{60000, 1024, 256, 16 << 20, 256, 60},
                                                  ExecuteLimits{600000, 8192, 4096, 1 << 30, 4096, 3600}}};
  result.capabilities.other = {{"experimental", {{"x", 1}}}};
  result.serverInfo = {"airlock", "0.1.0"};
  check_round_trip(result);
  const json encoded = result;
  CHECK(encoded.at("capabilities").at("experimental") == json{{"x", 1}});
  CHECK(encoded.at("capabilities").at("sandbox").at("interactive") == true);

  check_rejected<InitializeParams>({{"processId", "1"}}, "params.processId: expected an integer, got the string \"1\"");
  check_rejected<InitializeParams>({{"capabilities", json::array()}}, "params.capabilities: expected an object, got an array");
  check_rejected<InitializeParams>({{"clientInfo", {{"version", "1"}}}}, "params.clientInfo.name: is required");
  check_rejected<InitializeResult>({{"capabilities", {{"sandbox", {{"languages", {"python"}}}}}}},
                                   "params.capabilities.sandbox.isolation: is required");
  check_rejected<InitializeResult>(
      {{"capabilities", {{"sandbox", {{"languages", json::array()}, {"isolation", json::array()}, {"workspaceModes", json::array()}, {"interactive", false}}}}}},
      "params.serverInfo: is required");
}

TEST_CASE("messages: $/cancelRequest keeps an integer or string id") {
  check_round_trip(CancelRequestParams{7});
  check_round_trip(CancelRequestParams{"req-7"});
  check_rejected<CancelRequestParams>({{"id", 1.5}}, "params.id: expected an integer or a string, got 1.5");
  check_rejected<CancelRequestParams>({{"id", nullptr}}, "params.id: expected an integer or a string, got null");
  check_rejected<CancelRequestParams>(json::object(), "params.id: is required");
}

TEST_CASE("messages: diagnostics round trip, leaving out empty relatedInformation") {
  Diagnostic diagnostic;
  diagnostic.range = {{3, 4}, {3, 10}};
  diagnostic.severity = kSeverityError;
  diagnostic.source = "airlock";
  diagnostic.message = "NameError: name 'x' is not defined";
  const json encoded = diagnostic;
  CHECK_FALSE(encoded.contains("relatedInformation"));
  CHECK_FALSE(encoded.contains("code"));
  check_round_trip(diagnostic);

  diagnostic.code = "E0425";
  diagnostic.relatedInformation = {{{"file:///w/lib.py", {{0, 0}, {0, 5}}}, "called from here"}};
  check_round_trip(diagnostic);
  check_round_trip(PublishDiagnosticsParams{"file:///w/notes.md", 3, {diagnostic}});
  check_round_trip(PublishDiagnosticsParams{"file:///w/notes.md", std::nullopt, {}});
  CHECK(json(PublishDiagnosticsParams{"file:///a", std::nullopt, {}}) == json::parse(R"({"uri":"file:///a","diagnostics":[]})"));

  json bad = PublishDiagnosticsParams{"file:///w/a.py", std::nullopt, {diagnostic}};
  bad["diagnostics"][0]["severity"] = 5;
  check_rejected<PublishDiagnosticsParams>(bad, "params.diagnostics[0].severity: expected an integer from 1 to 4, got 5");
  bad["diagnostics"][0]["severity"] = 1;
  bad["diagnostics"][0]["relatedInformation"][0]["location"]["range"]["end"]["character"] = -1;
  check_rejected<PublishDiagnosticsParams>(
      bad, "params.diagnostics[0].relatedInformation[0].location.range.end.character: expected a non-negative integer, got -1");
  check_rejected<Position>({{"line", 0}}, "params.character: is required");
}

TEST_CASE("messages: window/logMessage round trips and validates its type") {
  check_round_trip(LogMessageParams{kMessageTypeWarning, "user namespaces are disabled"});
  check_rejected<LogMessageParams>({{"type", 0}, {"message", "m"}}, "params.type: expected an integer from 1 to 4, got 0");
}

TEST_CASE("messages: long strings are summarised, not quoted, in errors") {
  check_rejected<ExecuteParams>(execute_with({{"interactive", std::string(1000, 'y')}}),
                                "params.interactive: expected true or false, got a string of 1000 bytes");
}

TEST_CASE("messages: ParamsError paths join members and indexes") {
  CHECK(join_json_path("params", "limits.timeoutMs") == "params.limits.timeoutMs");
  CHECK(join_json_path("params", "[0].x") == "params[0].x");
  CHECK(join_json_path("params", "") == "params");
  CHECK(join_json_path("", "x") == "x");
  const auto error = ParamsError("timeoutMs", "expected a positive integer, got 0").within("limits").within("params");
  CHECK(error.path == "params.limits.timeoutMs");
  CHECK(error.problem == "expected a positive integer, got 0");
  CHECK(std::string(error.what()) == "params.limits.timeoutMs: expected a positive integer, got 0");
}

TEST_CASE("messages: method names match the wire") {
  CHECK(method::execute == "sandbox/execute");
  CHECK(method::cancel_request == "$/cancelRequest");
  CHECK(method::publish_diagnostics == "textDocument/publishDiagnostics");
  CHECK(method::apply_changes == "sandbox/applyChanges");
  CHECK(method::exited == "sandbox/exited");
}

}  // namespace airlock::protocol
