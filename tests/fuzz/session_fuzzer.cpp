// Fuzzes the server's front door as a client would reach it: arbitrary bytes on stdin, through the real
// StdioTransport (LSP framing) into the Session's JSON-RPC dispatch and every typed handler. The session has no
// sandbox backend, so an execute that passes validation ends in SandboxUnavailable and nothing runs.
// Beyond crashes and sanitizer reports, every byte the server writes back must be a well-formed frame holding
// a JSON-RPC 2.0 message.

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <boost/asio/io_context.hpp>
#include <spdlog/spdlog.h>

#include "protocol/framing.h"
#include "protocol/json.h"
#include "sandbox/unique_fd.h"
#include "server/backends.h"
#include "server/config.h"
#include "server/session.h"
#include "server/transport.h"

namespace {

using airlock::sandbox::UniqueFd;

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "session fuzzer: %s\n", why.c_str());
  std::abort();
}

UniqueFd memory_file(const char* name) {
  UniqueFd fd(::memfd_create(name, MFD_CLOEXEC));
  if (!fd) fail(std::string("memfd_create failed: ") + std::strerror(errno));
  return fd;
}

void write_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written <= 0) fail(std::string("writing the input failed: ") + std::strerror(errno));
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

std::string read_everything(int fd) {
  std::string text;
  char buffer[65536];
  ::lseek(fd, 0, SEEK_SET);
  ssize_t got;
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(got));
  return text;
}

void require_wellformed_replies(const std::string& output) {
  airlock::protocol::FrameDecoder decoder;
  decoder.feed(output);
  while (auto frame = decoder.next()) {
    const auto* body = std::get_if<std::string>(&*frame);
    if (body == nullptr) fail("the server wrote a malformed frame: " + std::get<airlock::protocol::FrameError>(*frame).message);
    const auto message = airlock::protocol::json::parse(*body, nullptr, false);
    if (message.is_discarded() || !message.is_object() || message.value("jsonrpc", "") != "2.0") {
      fail("the server wrote a body that is not a JSON-RPC 2.0 message: " + body->substr(0, 200));
    }
  }
  if (decoder.buffered() != 0) fail("the server's output ends in the middle of a frame");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  std::signal(SIGPIPE, SIG_IGN);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  UniqueFd input = memory_file("fuzz-input");
  UniqueFd output = memory_file("fuzz-output");
  write_all(input.get(), data, size);
  ::lseek(input.get(), 0, SEEK_SET);
  {
    boost::asio::io_context io;
    const airlock::server::Backends no_backends({});
    airlock::server::StdioTransport transport(io, input.get(), output.get());
    airlock::server::Session session(io, transport, no_backends, airlock::server::ServerConfig{},
                                     [&io](int) { io.stop(); });
    session.start();
    io.run();
  }
  require_wellformed_replies(read_everything(output.get()));
  return 0;
}
