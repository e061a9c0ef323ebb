#include <unistd.h>

#include <cstdio>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "server/backends.h"
#include "server/cli.h"
#include "server/cli_args.h"
#include "server/config.h"
#include "server/logging.h"
#include "server/platform/signals.h"
#include "server/platform/stdio_streams.h"
#include "server/session.h"
#include "server/transport.h"

namespace airlock::server {

int serve_command(const std::vector<std::string>& raw_args) {
  CliArgs args(raw_args);
  ServerConfig config;
  try {
    auto log_file = args.take_value("--log-file");
    auto log_level = args.take_value("--log-level").value_or("info");
    auto config_file = args.take_value("--config");
    if (!args.positionals().empty()) throw std::invalid_argument("serve takes no positional arguments");
    configure_logging(log_file, log_level);
    config = ServerConfig::load(config_file ? std::optional<std::filesystem::path>(*config_file) : std::nullopt);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "airlock serve: %s\n", error.what());
    return 2;
  }

  boost::asio::io_context io;
  const Backends backends = Backends::for_this_host();
  StdioTransport transport(io, platform::standard_input(), platform::standard_output());
  int exit_code = 1;
  boost::asio::steady_timer exit_deadline(io);
  boost::asio::signal_set termination(io);
  platform::add_termination_signals(termination);
  std::unique_ptr<Session> session;
  session = std::make_unique<Session>(io, transport, backends, std::move(config), [&](int code) {
    exit_code = code;
    termination.cancel();
    // Deliver what is queued (the last results), but never wait long on a client that stopped reading.
    transport.when_idle([&io] { io.stop(); });
    exit_deadline.expires_after(std::chrono::seconds(2));
    exit_deadline.async_wait([&io](boost::system::error_code error) {
      if (!error) io.stop();
    });
  });
  termination.async_wait([&](boost::system::error_code error, int signal) {
    if (error) return;
    spdlog::info("received signal {}, stopping every run", signal);
    session.reset();
    exit_code = 1;
    io.stop();
  });
  spdlog::info("airlock {} serving on stdio (pid {})", AIRLOCK_VERSION, ::getpid());
  session->start();
  io.run();
  session.reset();
  spdlog::info("exiting with code {}", exit_code);
  return exit_code;
}

}  // namespace airlock::server
