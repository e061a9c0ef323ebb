#include "run_output.h"

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

}  // namespace airlock::windows_tests
