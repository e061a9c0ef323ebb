#include "server/platform/stdio_streams.h"

#include <windows.h>

#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include "sandbox/windows/unique_handle.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::server::platform {

namespace asio = boost::asio;
using sandbox::windows::UniqueHandle;

namespace {

// Duplicates, so that closing a stream never closes the process's own standard handles.
UniqueHandle duplicate(HANDLE handle) {
  HANDLE copy = nullptr;
  if (!::DuplicateHandle(::GetCurrentProcess(), handle, ::GetCurrentProcess(), &copy, 0, FALSE, DUPLICATE_SAME_ACCESS))
    sandbox::windows::throw_last_error("DuplicateHandle(standard stream)");
  return UniqueHandle(copy);
}

boost::system::error_code error_of(DWORD code) {
  switch (code) {
    case ERROR_BROKEN_PIPE:
    case ERROR_HANDLE_EOF: return asio::error::eof;
    case ERROR_NO_DATA: return asio::error::broken_pipe;
    case ERROR_OPERATION_ABORTED: return asio::error::operation_aborted;
    default: return boost::system::error_code(static_cast<int>(code), boost::system::system_category());
  }
}

// One thread that makes one blocking call at a time for its stream and posts each result to the event loop. A call
// may block for good (a client that neither writes nor closes, and Wine cannot cancel a read of a host pipe), so the
// thread is never joined: it owns what it uses (this object, the handle, its buffer), and once the stream is gone
// it posts nothing more and ends at its next wake-up, or with the process.
class BlockingCaller {
 public:
  BlockingCaller(asio::io_context& io, UniqueHandle handle) : io_(io), handle_(std::move(handle)) {}

  static std::shared_ptr<BlockingCaller> start(asio::io_context& io, HANDLE handle) {
    auto caller = std::make_shared<BlockingCaller>(io, duplicate(handle));
    std::thread([caller] { caller->loop(); }).detach();
    return caller;
  }

  HANDLE handle() const { return handle_.get(); }

  // blocking runs on the thread; what it returns runs on the event loop, unless the stream is gone by then.
  void call(std::function<std::function<void()>()> blocking) {
    std::lock_guard lock(mutex_);
    next_ = std::move(blocking);
    wake_.notify_all();
  }

  // The stream is gone: nothing more is posted, and a call in progress is interrupted where Windows can.
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    wake_.notify_all();
    if (thread_handle_) ::CancelSynchronousIo(thread_handle_.get());
  }

 private:
  void loop() {
    HANDLE self = nullptr;
    // THREAD_TERMINATE is the access CancelSynchronousIo needs.
    ::DuplicateHandle(::GetCurrentProcess(), ::GetCurrentThread(), ::GetCurrentProcess(), &self, THREAD_TERMINATE,
                      FALSE, 0);
    std::unique_lock lock(mutex_);
    thread_handle_.reset(self);
    while (true) {
      wake_.wait(lock, [this] { return stopped_ || next_ != nullptr; });
      if (stopped_) return;
      auto blocking = std::move(next_);
      next_ = nullptr;
      lock.unlock();
      auto completion = blocking();
      lock.lock();
      if (stopped_) return;
      asio::post(io_, std::move(completion));
    }
  }

  asio::io_context& io_;
  UniqueHandle handle_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::function<std::function<void()>()> next_;
  UniqueHandle thread_handle_;
  bool stopped_ = false;
};

}  // namespace

StdioHandle standard_input() { return ::GetStdHandle(STD_INPUT_HANDLE); }
StdioHandle standard_output() { return ::GetStdHandle(STD_OUTPUT_HANDLE); }

bool standard_input_streams() {
  HANDLE input = standard_input();
  DWORD console_mode = 0;
  return ::GetFileType(input) == FILE_TYPE_PIPE || ::GetConsoleMode(input, &console_mode);
}

struct InputStream::State {
  State(asio::io_context& io, HANDLE handle) : caller(BlockingCaller::start(io, handle)) {}
  ~State() { caller->stop(); }
  std::shared_ptr<BlockingCaller> caller;
  bool stopped = false;
};

InputStream::InputStream(asio::io_context& io, StdioHandle handle) : state_(std::make_unique<State>(io, handle)) {}
InputStream::~InputStream() = default;

void InputStream::async_read_some(asio::mutable_buffer buffer, IoHandler handler) {
  // The thread reads into a buffer of its own: the caller's may be gone by the time a blocked read returns.
  state_->caller->call([caller = state_->caller.get(), state = state_.get(), buffer, handler = std::move(handler)] {
    auto bytes = std::make_shared<std::string>(buffer.size(), '\0');
    DWORD read = 0;
    boost::system::error_code error;
    if (!::ReadFile(caller->handle(), bytes->data(), static_cast<DWORD>(bytes->size()), &read, nullptr))
      error = error_of(::GetLastError());
    else if (read == 0)
      error = asio::error::eof;
    return std::function<void()>([state, buffer, handler, bytes, read, error] {
      if (state->stopped) return handler(asio::error::operation_aborted, 0);
      std::memcpy(buffer.data(), bytes->data(), read);
      handler(error, read);
    });
  });
}

void InputStream::cancel() {
  state_->stopped = true;
  state_->caller->stop();
}

struct OutputStream::State {
  State(asio::io_context& io, HANDLE handle) : caller(BlockingCaller::start(io, handle)) {}
  ~State() { caller->stop(); }
  std::shared_ptr<BlockingCaller> caller;
};

OutputStream::OutputStream(asio::io_context& io, StdioHandle handle) : state_(std::make_unique<State>(io, handle)) {}
OutputStream::~OutputStream() = default;

void OutputStream::async_write(asio::const_buffer buffer, IoHandler handler) {
  // A copy: a write blocked on a client that stopped reading may outlive the caller's buffer.
  auto bytes = std::make_shared<std::string>(static_cast<const char*>(buffer.data()), buffer.size());
  state_->caller->call([caller = state_->caller.get(), bytes, handler = std::move(handler)] {
    std::size_t done = 0;
    boost::system::error_code error;
    while (done < bytes->size()) {
      DWORD written = 0;
      if (!::WriteFile(caller->handle(), bytes->data() + done, static_cast<DWORD>(bytes->size() - done), &written,
                       nullptr)) {
        error = error_of(::GetLastError());
        break;
      }
      done += written;
    }
    return std::function<void()>([handler, error, done] { handler(error, done); });
  });
}

}  // namespace airlock::server::platform
