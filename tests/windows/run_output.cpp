#include "run_output.h"

#include <array>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/windows/stream_handle.hpp>
#include <boost/asio/write.hpp>

namespace airlock::windows_tests {
namespace {

using boost::asio::windows::stream_handle;

void read_all(stream_handle& stream, std::string& into) {
  auto buffer = std::make_shared<std::array<char, 4096>>();
  stream.async_read_some(boost::asio::buffer(*buffer), [&stream, &into, buffer](auto error, std::size_t n) {
    into.append(buffer->data(), n);
    if (!error) read_all(stream, into);
  });
}

}  // namespace

RunOutput exchange_stdio(sandbox::Process& process, const std::string& input) {
  boost::asio::io_context io;
  stream_handle in(io, process.take_stdin().release());
  stream_handle out(io, process.take_stdout().release());
  stream_handle err(io, process.take_stderr().release());
  RunOutput output;
  boost::asio::async_write(in, boost::asio::buffer(input), [&in](auto, std::size_t) { in.close(); });
  read_all(out, output.out);
  read_all(err, output.err);
  io.run();
  return output;
}

std::string first_line(sandbox::Process& process) {
  boost::asio::io_context io;
  stream_handle out(io, process.take_stdout().release());
  std::string text;
  boost::asio::async_read_until(out, boost::asio::dynamic_buffer(text), '\n', [](auto, std::size_t) {});
  io.run();
  return text.substr(0, text.find('\n'));
}

Conversation::Conversation(sandbox::Process& process)
    : in_(io_, process.take_stdin().release()),
      out_(io_, process.take_stdout().release()),
      err_(io_, process.take_stderr().release()) {
  read(out_, shown_, shown_ended_);
  read(err_, errors_, errors_ended_);
}

void Conversation::read(boost::asio::windows::stream_handle& stream, std::string& into, bool& ended) {
  auto buffer = std::make_shared<std::array<char, 4096>>();
  stream.async_read_some(boost::asio::buffer(*buffer), [this, &stream, &into, &ended, buffer](auto error, std::size_t n) {
    into.append(buffer->data(), n);
    if (error) ended = true;
    else read(stream, into, ended);
  });
}

template <typename Done>
bool Conversation::run_until(Done done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io_.restart();
    io_.run_for(std::chrono::milliseconds(20));
  }
  return done();
}

bool Conversation::wait_for(std::string_view text, std::chrono::milliseconds timeout) {
  return run_until([&] { return shown_.find(text) != std::string::npos; }, timeout);
}

bool Conversation::wait_for_end(std::chrono::milliseconds timeout) {
  return run_until([&] { return shown_ended_ && errors_ended_; }, timeout);
}

bool Conversation::type(const std::string& text) {
  auto written = std::make_shared<bool>(false);
  auto keys = std::make_shared<std::string>(text);
  boost::asio::async_write(in_, boost::asio::buffer(*keys), [written, keys](auto, std::size_t) { *written = true; });
  return run_until([&] { return *written; }, std::chrono::seconds(10));
}

}  // namespace airlock::windows_tests
