#include "sandbox/vm/agent_protocol.h"


#include "sandbox/vm/byte_codec.h"

namespace airlock::sandbox::vm {
namespace {

constexpr std::uint32_t kMaxPath = 4096;
constexpr std::uint32_t kMaxItems = 1 << 16;
constexpr int kLimitKinds = static_cast<int>(LimitKind::output) + 1;
constexpr std::uint8_t kNoLimit = 0xFF;
// ext4's volume label field.
constexpr std::uint32_t kMaxDiskLabel = 16;

void write_share(ByteWriter& out, const GuestShare& share) {
  out.string(share.tag);
  out.string(share.path);
  out.u8(share.writable ? 1 : 0);
}

GuestShare read_share(ByteReader& in) {
  GuestShare share;
  share.tag = in.string(32);
  share.path = in.string(kMaxPath);
  share.writable = in.u8() != 0;
  return share;
}

void write_limits(ByteWriter& out, const Limits& limits) {
  for (std::int64_t value : {limits.timeout_ms, limits.memory_bytes, limits.max_processes, limits.output_bytes,
                             limits.disk_bytes, limits.cpu_seconds, limits.open_files, limits.file_size_bytes})
    out.i64(value);
}

Limits read_limits(ByteReader& in) {
  Limits limits;
  for (std::int64_t* field : {&limits.timeout_ms, &limits.memory_bytes, &limits.max_processes, &limits.output_bytes,
                              &limits.disk_bytes, &limits.cpu_seconds, &limits.open_files, &limits.file_size_bytes})
    *field = in.i64();
  return limits;
}

// Relative, normal, and inside: no empty path, no leading '/', no "." or ".." component, no empty component.
bool is_relative_inside(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

// The message is shown to the user as text: anything but printable ASCII, newlines and tabs becomes '?'.
std::string printable(std::string text) {
  for (char& c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\t') || byte >= 0x7F) c = '?';
  }
  return text;
}

}  // namespace

std::string encode_frame(MessageType type, std::string_view payload) {
  ByteWriter out;
  out.u8(static_cast<std::uint8_t>(type));
  out.u32(static_cast<std::uint32_t>(payload.size()));
  std::string frame = out.take();
  frame.append(payload);
  return frame;
}

std::optional<std::uint32_t> max_payload(MessageType type, Direction direction) {
  switch (type) {
    case MessageType::launch:
      return direction == Direction::to_guest ? std::optional(kMaxLaunchPayload) : std::nullopt;
    case MessageType::stdin_data:
      return direction == Direction::to_guest ? std::optional(kMaxStreamPayload) : std::nullopt;
    case MessageType::stdin_eof:
    case MessageType::stop:
      return direction == Direction::to_guest ? std::optional(0u) : std::nullopt;
    case MessageType::stdout_data:
    case MessageType::stderr_data:
      return direction == Direction::to_host ? std::optional(kMaxStreamPayload) : std::nullopt;
    case MessageType::exit:
      return direction == Direction::to_host ? std::optional(kMaxExitPayload) : std::nullopt;
    case MessageType::layer_entry:
      return direction == Direction::to_host ? std::optional(kMaxLayerEntryPayload) : std::nullopt;
    case MessageType::layer_data:
      return direction == Direction::to_host ? std::optional(kMaxStreamPayload) : std::nullopt;
  }
  return std::nullopt;
}

std::optional<Frame> FrameDecoder::next() {
  if (broken() || buffered() < kFrameHeaderBytes) return std::nullopt;
  ByteReader header(std::string_view(buffer_).substr(offset_, kFrameHeaderBytes));
  const std::uint8_t type = header.u8();
  const std::uint32_t length = header.u32();
  const auto bound = max_payload(static_cast<MessageType>(type), incoming_);
  if (!bound) {
    error_ = "unexpected message type " + std::to_string(type);
    return std::nullopt;
  }
  if (length > *bound) {
    error_ = "message type " + std::to_string(type) + " claims " + std::to_string(length) +
             " bytes, more than its limit of " + std::to_string(*bound);
    return std::nullopt;
  }
  if (buffered() < kFrameHeaderBytes + length) return std::nullopt;
  Frame frame{static_cast<MessageType>(type), buffer_.substr(offset_ + kFrameHeaderBytes, length)};
  offset_ += kFrameHeaderBytes + length;
  // Compact once the consumed prefix dominates, so a long stream does not grow the buffer.
  if (offset_ > 4096 && offset_ * 2 > buffer_.size()) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  return frame;
}

std::string encode_launch(const LaunchRequest& request) {
  ByteWriter out;
  out.i64(request.realtime_ns);
  out.u32(static_cast<std::uint32_t>(request.system_shares.size()));
  for (const auto& share : request.system_shares) write_share(out, share);
  write_share(out, request.workspace);
  out.u8(static_cast<std::uint8_t>(request.workspace_mode));
  out.u32(static_cast<std::uint32_t>(request.protected_paths.size()));
  for (const auto& path : request.protected_paths) out.string(path);
  out.u32(static_cast<std::uint32_t>(request.entries.size()));
  for (const auto& entry : request.entries) {
    out.u8(static_cast<std::uint8_t>(entry.kind));
    out.string(entry.path);
    out.string(entry.content);
    out.u32(entry.mode);
  }
  write_limits(out, request.limits);
  out.u32(static_cast<std::uint32_t>(request.steps.size()));
  for (const auto& step : request.steps) {
    out.u32(static_cast<std::uint32_t>(step.size()));
    for (const auto& arg : step) out.string(arg);
  }
  out.string(request.cwd);
  out.u32(static_cast<std::uint32_t>(request.env.size()));
  for (const auto& [name, value] : request.env) {
    out.string(name);
    out.string(value);
  }
  out.u32(request.uid);
  out.u32(request.gid);
  out.string(request.system_disk_label);
  out.u8(static_cast<std::uint8_t>(request.workspace_layout));
  out.u32(static_cast<std::uint32_t>(request.protected_shares.size()));
  for (const auto& share : request.protected_shares) write_share(out, share);
  return out.take();
}

std::optional<LaunchRequest> decode_launch(std::string_view payload) {
  ByteReader in(payload);
  LaunchRequest request;
  request.realtime_ns = in.i64();
  for (std::uint32_t n = in.count(kMaxItems, 9); n > 0; --n) request.system_shares.push_back(read_share(in));
  request.workspace = read_share(in);
  const std::uint8_t mode = in.u8();
  if (mode > static_cast<std::uint8_t>(WorkspaceMode::readwrite)) return std::nullopt;
  request.workspace_mode = static_cast<WorkspaceMode>(mode);
  for (std::uint32_t n = in.count(kMaxItems, 4); n > 0; --n) request.protected_paths.push_back(in.string(kMaxPath));
  for (std::uint32_t n = in.count(kMaxItems, 13); n > 0; --n) {
    GuestEntry entry;
    const std::uint8_t kind = in.u8();
    if (kind > static_cast<std::uint8_t>(GuestEntry::Kind::directory)) return std::nullopt;
    entry.kind = static_cast<GuestEntry::Kind>(kind);
    entry.path = in.string(kMaxPath);
    entry.content = in.string(kMaxLaunchPayload);
    entry.mode = in.u32();
    request.entries.push_back(std::move(entry));
  }
  request.limits = read_limits(in);
  for (std::uint32_t n = in.count(kMaxItems, 4); n > 0; --n) {
    std::vector<std::string> step;
    for (std::uint32_t args = in.count(kMaxItems, 4); args > 0; --args) step.push_back(in.string(kMaxLaunchPayload));
    request.steps.push_back(std::move(step));
  }
  request.cwd = in.string(kMaxPath);
  for (std::uint32_t n = in.count(kMaxItems, 8); n > 0; --n) {
    std::string name = in.string(kMaxLaunchPayload);
    request.env.emplace_back(std::move(name), in.string(kMaxLaunchPayload));
  }
  request.uid = in.u32();
  request.gid = in.u32();
  request.system_disk_label = in.string(kMaxDiskLabel);
  const std::uint8_t layout = in.u8();
  if (layout > static_cast<std::uint8_t>(WorkspaceShareLayout::workspace_folder)) return std::nullopt;
  request.workspace_layout = static_cast<WorkspaceShareLayout>(layout);
  for (std::uint32_t n = in.count(kMaxItems, 9); n > 0; --n) request.protected_shares.push_back(read_share(in));
  if (!in.complete()) return std::nullopt;
  return request;
}

std::string encode_layer_entry(const LayerEntry& entry) {
  ByteWriter out;
  out.u8(static_cast<std::uint8_t>(entry.kind));
  out.string(entry.path);
  out.u32(entry.mode);
  out.u8(entry.opaque ? 1 : 0);
  out.string(entry.target);
  return out.take();
}

std::optional<LayerEntry> decode_layer_entry(std::string_view payload) {
  ByteReader in(payload);
  LayerEntry entry;
  const std::uint8_t kind = in.u8();
  entry.path = in.string(kMaxLayerPath);
  entry.mode = in.u32();
  const std::uint8_t opaque = in.u8();
  entry.target = in.string(kMaxLayerPath);
  if (!in.complete() || kind > static_cast<std::uint8_t>(LayerEntry::Kind::whiteout) || opaque > 1) return std::nullopt;
  entry.kind = static_cast<LayerEntry::Kind>(kind);
  entry.opaque = opaque == 1;
  entry.mode &= 07777;
  if (!is_relative_inside(entry.path)) return std::nullopt;
  if (entry.path.find('\0') != std::string::npos || entry.target.find('\0') != std::string::npos) return std::nullopt;
  return entry;
}

std::string encode_exit(const ExitStatus& status) {
  ByteWriter out;
  out.u8(static_cast<std::uint8_t>(status.kind));
  out.i64(status.code);
  out.i64(status.signal);
  out.u8(status.limit ? static_cast<std::uint8_t>(*status.limit) : kNoLimit);
  out.string(std::string_view(status.message).substr(0, kMaxExitMessage));
  return out.take();
}

// The guest is Linux whatever the host: its signal numbers end at SIGRTMAX, 64 (a Windows host has no SIGRTMAX).
constexpr std::int64_t kLinuxMaxSignal = 64;

std::optional<ExitStatus> decode_exit(std::string_view payload) {
  ByteReader in(payload);
  ExitStatus status;
  const std::uint8_t kind = in.u8();
  const std::int64_t code = in.i64();
  const std::int64_t signal = in.i64();
  const std::uint8_t limit = in.u8();
  std::string message = in.string(kMaxExitMessage);
  if (!in.complete() || kind > static_cast<std::uint8_t>(ExitStatus::Kind::setup_failed)) return std::nullopt;
  status.kind = static_cast<ExitStatus::Kind>(kind);
  if (status.kind == ExitStatus::Kind::exited && (code < 0 || code > 255)) return std::nullopt;
  if (status.kind == ExitStatus::Kind::signaled && (signal < 1 || signal > kLinuxMaxSignal)) return std::nullopt;
  if (limit != kNoLimit && limit >= kLimitKinds) return std::nullopt;
  status.code = status.kind == ExitStatus::Kind::exited ? static_cast<int>(code) : 0;
  status.signal = status.kind == ExitStatus::Kind::signaled ? static_cast<int>(signal) : 0;
  if (limit != kNoLimit) status.limit = static_cast<LimitKind>(limit);
  status.message = printable(std::move(message));
  return status;
}

}  // namespace airlock::sandbox::vm
