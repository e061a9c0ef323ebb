#pragma once

// A setup step in the guest failed: the message names the call, its errno text and what it was doing. The agent
// sends it to the host as the run's setup failure.

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace airlock::sandbox::vm::guest {

class GuestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] inline void fail_call(const char* call, const std::string& doing, int error = errno) {
  throw GuestError("guest agent: " + doing + ": " + call + " failed: " + std::strerror(error));
}

}  // namespace airlock::sandbox::vm::guest
