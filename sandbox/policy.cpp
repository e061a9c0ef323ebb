#include "sandbox/policy.h"

#include "sandbox/backend.h"

namespace airlock::sandbox {

const char* to_string(WorkspaceMode mode) {
  switch (mode) {
    case WorkspaceMode::readonly: return "readonly";
    case WorkspaceMode::overlay: return "overlay";
    case WorkspaceMode::readwrite: return "readwrite";
  }
  return "unknown";
}

const char* to_string(Network network) {
  switch (network) {
    case Network::none: return "none";
    case Network::host: return "host";
  }
  return "unknown";
}

const char* to_string(Isolation isolation) {
  switch (isolation) {
    case Isolation::process: return "process";
    case Isolation::vm: return "vm";
  }
  return "unknown";
}

const char* to_string(LimitKind kind) {
  switch (kind) {
    case LimitKind::memory: return "memory";
    case LimitKind::processes: return "processes";
    case LimitKind::disk: return "disk";
    case LimitKind::cpu: return "cpu";
    case LimitKind::output: return "output";
  }
  return "unknown";
}

}  // namespace airlock::sandbox
