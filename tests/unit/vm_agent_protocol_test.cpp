// The agent protocol's framing and messages: what the host accepts from a guest it cannot trust.

#include <doctest/doctest.h>

#include <csignal>
#include <random>
#include <string>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/byte_codec.h"

namespace airlock::sandbox::vm {
namespace {

std::string header(std::uint8_t type, std::uint32_t length) {
  ByteWriter out;
  out.u8(type);
  out.u32(length);
  return out.take();
}

LaunchRequest sample_request() {
  LaunchRequest request;
  request.realtime_ns = 1'700'000'000'123'456'789;
  request.system_shares = {{.tag = "system0", .path = "/usr", .writable = false}};
  request.workspace = {.tag = "workspace", .path = "/home/me/project, with comma", .writable = true};
  request.workspace_mode = WorkspaceMode::readwrite;
  request.protected_paths = {".git", ".vscode"};
  request.entries = {{.kind = GuestEntry::Kind::symlink, .path = "/bin", .content = "usr/bin"},
                     {.kind = GuestEntry::Kind::file, .path = "/airlock/snippet.py", .content = std::string("a\0b", 3), .mode = 0644}};
  request.limits.memory_bytes = 64ll << 20;
  request.steps = {{"cc", "-o", "/tmp/p", "/airlock/snippet.c"}, {"/tmp/p", ""}};
  request.cwd = "/home/me/project";
  request.env = {{"PATH", "/usr/bin"}, {"EMPTY", ""}};
  request.uid = 1000;
  request.gid = 1001;
  request.workspace_layout = WorkspaceShareLayout::workspace_folder;
  request.protected_shares = {{.tag = "protected0", .path = "/home/me/project, with comma/.git", .writable = false},
                              {.tag = "protected1", .path = "/home/me/project, with comma/.vscode", .writable = false}};
  return request;
}

TEST_CASE("vm agent protocol: frames split across reads come out whole and in order") {
  const std::string stream = encode_frame(MessageType::stdout_data, "hello") + encode_frame(MessageType::stderr_data, "") +
                             encode_frame(MessageType::exit, encode_exit(ExitStatus{.kind = ExitStatus::Kind::exited, .code = 3}));
  FrameDecoder decoder(Direction::to_host);
  std::vector<Frame> frames;
  for (char byte : stream) {
    decoder.push(std::string_view(&byte, 1));
    while (auto frame = decoder.next()) frames.push_back(std::move(*frame));
  }
  REQUIRE(frames.size() == 3);
  CHECK(frames[0].type == MessageType::stdout_data);
  CHECK(frames[0].payload == "hello");
  CHECK(frames[1].payload.empty());
  CHECK(decode_exit(frames[2].payload)->code == 3);
  CHECK(decoder.buffered() == 0);
  CHECK_FALSE(decoder.broken());
}

TEST_CASE("vm agent protocol: the host refuses host-bound types, unknown types and over-long frames") {
  for (std::uint8_t type : {std::uint8_t{1}, std::uint8_t{2}, std::uint8_t{3}, std::uint8_t{0}, std::uint8_t{99}}) {
    FrameDecoder decoder(Direction::to_host);
    decoder.push(header(type, 0));
    CHECK_FALSE(decoder.next());
    CHECK(decoder.broken());
  }
  FrameDecoder decoder(Direction::to_host);
  // A length beyond the bound is refused from the header alone, before any of it is buffered.
  decoder.push(header(static_cast<std::uint8_t>(MessageType::stdout_data), kMaxStreamPayload + 1));
  CHECK_FALSE(decoder.next());
  CHECK(decoder.error().find("limit") != std::string::npos);
  decoder.push(encode_frame(MessageType::stdout_data, "later"));
  CHECK_FALSE(decoder.next());

  FrameDecoder exits(Direction::to_host);
  exits.push(header(static_cast<std::uint8_t>(MessageType::exit), kMaxExitPayload + 1));
  CHECK_FALSE(exits.next());
  CHECK(exits.broken());
}

TEST_CASE("vm agent protocol: the guest accepts only its own direction") {
  FrameDecoder decoder(Direction::to_guest);
  decoder.push(encode_frame(MessageType::stdin_data, "x") + encode_frame(MessageType::stdin_eof, ""));
  CHECK(decoder.next()->payload == "x");
  CHECK(decoder.next()->type == MessageType::stdin_eof);
  decoder.push(encode_frame(MessageType::stdout_data, "y"));
  CHECK_FALSE(decoder.next());
  CHECK(decoder.broken());
  FrameDecoder eof_with_payload(Direction::to_guest);
  eof_with_payload.push(encode_frame(MessageType::stdin_eof, "z"));
  CHECK_FALSE(eof_with_payload.next());
  CHECK(eof_with_payload.broken());
}

TEST_CASE("vm agent protocol: a launch request survives the round trip, and truncation is refused") {
  const LaunchRequest request = sample_request();
  const std::string payload = encode_launch(request);
  const auto decoded = decode_launch(payload);
  REQUIRE(decoded);
  CHECK(decoded->system_shares == request.system_shares);
  CHECK(decoded->workspace == request.workspace);
  CHECK(decoded->workspace_mode == WorkspaceMode::readwrite);
  CHECK(decoded->protected_paths == request.protected_paths);
  CHECK(decoded->entries == request.entries);
  CHECK(decoded->limits.memory_bytes == 64ll << 20);
  CHECK(decoded->limits.timeout_ms == request.limits.timeout_ms);
  CHECK(decoded->steps == request.steps);
  CHECK(decoded->env == request.env);
  CHECK((decoded->cwd == request.cwd && decoded->uid == 1000 && decoded->gid == 1001));
  CHECK(decoded->realtime_ns == request.realtime_ns);
  CHECK(decoded->workspace_layout == WorkspaceShareLayout::workspace_folder);
  CHECK(decoded->protected_shares == request.protected_shares);
  CHECK(encode_launch(*decoded) == payload);
  for (std::size_t length = 0; length < payload.size(); length += 7) CHECK_FALSE(decode_launch(payload.substr(0, length)));
  CHECK_FALSE(decode_launch(payload + "x"));
}

TEST_CASE("vm agent protocol: hostile counts do not make the decoder allocate") {
  ByteWriter out;
  out.i64(0);
  out.u32(0xFFFFFFFF);  // system shares
  CHECK_FALSE(decode_launch(out.take()));

  LaunchRequest request = sample_request();
  request.protected_shares.clear();
  std::string payload = encode_launch(request);
  REQUIRE(decode_launch(payload));
  payload.replace(payload.size() - 4, 4, "\xFF\xFF\xFF\xFF");  // the protected shares' count, last in the payload
  CHECK_FALSE(decode_launch(payload));
}

TEST_CASE("vm agent protocol: a launch request names its workspace share's layout, and the default is QEMU's") {
  LaunchRequest request = sample_request();
  request.protected_shares.clear();
  CHECK(LaunchRequest{}.workspace_layout == WorkspaceShareLayout::staging_folder);
  request.workspace_layout = WorkspaceShareLayout::staging_folder;
  std::string payload = encode_launch(request);
  CHECK(decode_launch(payload)->workspace_layout == WorkspaceShareLayout::staging_folder);
  // The layout is the byte before the protected shares' count: an unknown layout is refused, not guessed.
  const std::size_t layout = payload.size() - 5;
  payload[layout] = 1;
  CHECK(decode_launch(payload)->workspace_layout == WorkspaceShareLayout::workspace_folder);
  payload[layout] = 2;
  CHECK_FALSE(decode_launch(payload));
}

TEST_CASE("vm agent protocol: exit reports are validated field by field") {
  const auto exited = decode_exit(encode_exit(ExitStatus{.kind = ExitStatus::Kind::exited, .code = 255}));
  REQUIRE(exited);
  CHECK(exited->code == 255);
  const auto killed = decode_exit(encode_exit(ExitStatus{.kind = ExitStatus::Kind::signaled, .signal = SIGKILL, .limit = LimitKind::memory}));
  REQUIRE(killed);
  CHECK(killed->signal == SIGKILL);
  CHECK(killed->limit == LimitKind::memory);
  const auto failed = decode_exit(encode_exit(ExitStatus{.kind = ExitStatus::Kind::setup_failed, .message = "bad\x1b[31m\xff"}));
  REQUIRE(failed);
  CHECK(failed->message == "bad?[31m?");

  auto report = [](std::uint8_t kind, std::int64_t code, std::int64_t signal, std::uint8_t limit, std::string message) {
    ByteWriter out;
    out.u8(kind);
    out.i64(code);
    out.i64(signal);
    out.u8(limit);
    out.string(message);
    return out.take();
  };
  CHECK_FALSE(decode_exit(report(3, 0, 0, 0xFF, "")));                         // unknown kind
  CHECK_FALSE(decode_exit(report(0, 256, 0, 0xFF, "")));                       // exit code out of range
  CHECK_FALSE(decode_exit(report(0, -1, 0, 0xFF, "")));
  CHECK_FALSE(decode_exit(report(1, 0, 0, 0xFF, "")));                         // signal 0
  CHECK_FALSE(decode_exit(report(1, 0, 1000, 0xFF, "")));
  CHECK_FALSE(decode_exit(report(0, 0, 0, 9, "")));                           // unknown limit
  CHECK_FALSE(decode_exit(report(2, 0, 0, 0xFF, std::string(kMaxExitMessage + 1, 'x'))));
  CHECK_FALSE(decode_exit(report(0, 0, 0, 0xFF, "") + "trailing"));
}

TEST_CASE("vm agent protocol: random bytes never crash the decoders") {
  std::mt19937 random(7);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(random() % 64, '\0');
    for (char& byte : bytes) byte = static_cast<char>(random());
    FrameDecoder decoder(round % 2 ? Direction::to_host : Direction::to_guest);
    decoder.push(bytes);
    while (decoder.next()) {
    }
    decode_launch(bytes);
    decode_exit(bytes);
  }
}

TEST_CASE("vm agent protocol: a launch request names the system disk by its ext4 label, of at most 16 bytes") {
  LaunchRequest request;
  request.steps = {{"true"}};
  CHECK(decode_launch(encode_launch(request))->system_disk_label.empty());
  request.system_disk_label = "airlock-system";
  CHECK(decode_launch(encode_launch(request))->system_disk_label == "airlock-system");
  request.system_disk_label = "sixteen-chars-ab";
  CHECK(decode_launch(encode_launch(request))->system_disk_label == "sixteen-chars-ab");
  request.system_disk_label += "c";
  CHECK_FALSE(decode_launch(encode_launch(request)));
}

}  // namespace
}  // namespace airlock::sandbox::vm
