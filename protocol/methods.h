#pragma once

// Every method and notification name on the wire.

#include <string_view>

namespace airlock::protocol::method {

// Lifecycle (as in LSP)
inline constexpr std::string_view initialize = "initialize";
inline constexpr std::string_view initialized = "initialized";
inline constexpr std::string_view shutdown = "shutdown";
inline constexpr std::string_view exit = "exit";
inline constexpr std::string_view cancel_request = "$/cancelRequest";

// Runs, client -> server
inline constexpr std::string_view execute = "sandbox/execute";
inline constexpr std::string_view cancel = "sandbox/cancel";
inline constexpr std::string_view input = "sandbox/input";
inline constexpr std::string_view apply_changes = "sandbox/applyChanges";
inline constexpr std::string_view discard_changes = "sandbox/discardChanges";
inline constexpr std::string_view read_changed_file = "sandbox/readChangedFile";

// Runs, server -> client
inline constexpr std::string_view started = "sandbox/started";
inline constexpr std::string_view output = "sandbox/output";
inline constexpr std::string_view exited = "sandbox/exited";
inline constexpr std::string_view publish_diagnostics = "textDocument/publishDiagnostics";
inline constexpr std::string_view log_message = "window/logMessage";

}  // namespace airlock::protocol::method
