#pragma once

// The conversation between the host and the guest agent (PID 1 of the VM), independent of the transport that
// carries it (a virtio-serial port under QEMU; an HvSocket under Hyper-V).
//
// A frame is a 1-byte type, a 4-byte little-endian payload length, then the payload. The host sends one launch
// frame, then stdin frames; the guest answers with stdout/stderr frames and, last, one exit frame.
// Everything the guest sends is untrusted: the decoder accepts only the types of its direction and lengths
// within each type's bound, and the exit report is validated field by field.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sandbox/backend.h"
#include "sandbox/policy.h"

namespace airlock::sandbox::vm {

// The virtio-serial port (or HvSocket service) name the agent listens on.
inline constexpr const char* kAgentPortName = "airlock.agent";

enum class MessageType : std::uint8_t {
  // host -> guest
  launch = 1,
  stdin_data = 2,
  stdin_eof = 3,
  // The run was cancelled or timed out: kill the steps, then send the layer and the report as after any end.
  stop = 4,
  // guest -> host
  stdout_data = 16,
  stderr_data = 17,
  exit = 18,
  // An overlay run's layer, entry by entry (parents first) after the program ended and before the exit report;
  // a file's bytes follow its entry as layer_data frames.
  layer_entry = 19,
  layer_data = 20,
};

enum class Direction { to_guest, to_host };

inline constexpr std::size_t kFrameHeaderBytes = 5;
inline constexpr std::uint32_t kMaxStreamPayload = 64 * 1024;
inline constexpr std::uint32_t kMaxLaunchPayload = 64u << 20;
inline constexpr std::uint32_t kMaxExitPayload = 8 * 1024;
inline constexpr std::uint32_t kMaxExitMessage = 4 * 1024;
inline constexpr std::uint32_t kMaxLayerEntryPayload = 9 * 1024;
inline constexpr std::uint32_t kMaxLayerPath = 4096;

struct Frame {
  MessageType type;
  std::string payload;
};

std::string encode_frame(MessageType type, std::string_view payload);

// Splits a byte stream into frames. Once the stream breaks the protocol it stays broken.
class FrameDecoder {
 public:
  explicit FrameDecoder(Direction incoming) : incoming_(incoming) {}

  void push(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete frame, if any; nullopt also once broken().
  std::optional<Frame> next();
  bool broken() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  // Bytes of an incomplete frame still waiting for the rest.
  std::size_t buffered() const { return buffer_.size() - offset_; }

 private:
  Direction incoming_;
  std::string buffer_;
  std::size_t offset_ = 0;
  std::string error_;
};

// The payload bound for a type in a direction; nullopt when the type may not travel that way.
std::optional<std::uint32_t> max_payload(MessageType type, Direction direction);

// Under QEMU the workspace share is the VM's staging folder, fixed before any run; the run's workspace is the
// share's folder of this name.
inline constexpr const char* kStagedWorkspaceFolder = "workspace";

// Where the run's workspace is in its share. The host says it: a guest that guessed would bind the wrong folder.
enum class WorkspaceShareLayout : std::uint8_t {
  staging_folder = 0,    // QEMU: the share is the staging folder, the workspace its folder kStagedWorkspaceFolder
  workspace_folder = 1,  // Hyper-V: the share is the workspace folder itself
};

// The label make-guest-system gives the system disk's ext4 file system; the agent finds the disk by it. Hosts name
// it in LaunchRequest::system_disk_label when they attach the disk (QEMU: a virtio-blk drive; Hyper-V: SCSI).
inline constexpr const char* kSystemDiskLabel = "airlock-system";

// The port Hyper-V's Plan9 server listens on for every share of a utility VM: the host's document names it, the
// agent dials it.
inline constexpr std::uint32_t kPlan9VsockPort = 564;

// A host folder the guest mounts (9p mount tag -> guest path).
struct GuestShare {
  std::string tag;
  std::string path;
  bool writable = false;
  bool operator==(const GuestShare&) const = default;
};

// Something the agent creates in the guest's root before the program runs.
struct GuestEntry {
  enum class Kind : std::uint8_t { file = 0, symlink = 1, directory = 2 };
  Kind kind = Kind::file;
  std::string path;     // absolute
  std::string content;  // the file's bytes, or the symlink's target
  std::uint32_t mode = 0644;
  bool operator==(const GuestEntry&) const = default;
};

struct LaunchRequest {
  std::int64_t realtime_ns = 0;   // the host's clock, so the guest needs no RTC
  std::vector<GuestShare> system_shares;
  GuestShare workspace;           // path is the workspace's host path, where it appears in the guest too
  WorkspaceMode workspace_mode = WorkspaceMode::readonly;
  std::vector<std::string> protected_paths;  // relative to the workspace
  std::vector<GuestEntry> entries;
  Limits limits;
  std::vector<std::vector<std::string>> steps;
  std::string cwd;
  std::vector<std::pair<std::string, std::string>> env;
  std::uint32_t uid = 65534;
  std::uint32_t gid = 65534;
  // The ext4 label of the system disk the guest mounts its system folders from (guest/system_disk.h) instead of
  // system_shares; empty: no disk.
  std::string system_disk_label;
  WorkspaceShareLayout workspace_layout = WorkspaceShareLayout::staging_folder;
  // Read-only shares of protected folders (Hyper-V's read-write workspace), each mounted over its place inside the
  // workspace once the workspace is mounted: the host's share keeps them read-only, not only the guest's mounts.
  std::vector<GuestShare> protected_shares;
};

std::string encode_launch(const LaunchRequest& request);
// nullopt when the payload is malformed.
std::optional<LaunchRequest> decode_launch(std::string_view payload);

// One entry of an overlay layer's upper folder, in overlayfs's terms. The path is relative to the workspace.
struct LayerEntry {
  enum class Kind : std::uint8_t { directory = 0, file = 1, symlink = 2, whiteout = 3 };
  Kind kind = Kind::file;
  std::string path;
  std::uint32_t mode = 0644;  // permission bits only
  bool opaque = false;        // a directory that hides the lower one
  std::string target;         // a symlink's target
  bool operator==(const LayerEntry&) const = default;
};

std::string encode_layer_entry(const LayerEntry& entry);
// Refuses unknown kinds and any path that is empty, absolute, not normal or climbs out with "..".
std::optional<LayerEntry> decode_layer_entry(std::string_view payload);

std::string encode_exit(const ExitStatus& status);
// Validates every field: a kind, signal or limit out of range, or an over-long message, gives nullopt.
std::optional<ExitStatus> decode_exit(std::string_view payload);

}  // namespace airlock::sandbox::vm
