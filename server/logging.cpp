#include "server/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace airlock::server {

void configure_logging(const std::optional<std::string>& log_file, const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off")
    throw std::runtime_error("unknown log level \"" + level + "\"; use trace, debug, info, warn, error or off");
  std::shared_ptr<spdlog::logger> logger;
  try {
    logger = log_file ? spdlog::basic_logger_mt("airlock", *log_file) : spdlog::stderr_logger_mt("airlock");
  } catch (const spdlog::spdlog_ex& error) {
    throw std::runtime_error("cannot open log file " + log_file.value_or("") + ": " + error.what());
  }
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace airlock::server
