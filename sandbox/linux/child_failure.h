#pragma once

// Code that runs in the sandbox between clone and exec must not allocate: the server may have other threads,
// and a malloc lock held by one of them at clone time stays held forever in the child. So a failing step
// formats its cause into a fixed buffer instead of throwing.

#include <cstddef>

namespace airlock::sandbox::linux_backend {

inline constexpr std::size_t kFailureMessageSize = 480;

struct ChildFailure {
  char message[kFailureMessageSize] = {};
  int error = 0;  // errno of the failed call
};

// Records "<what>: <call> failed: <strerror(error)>" and returns false, so a step can `return fail(...)`.
bool fail(ChildFailure& failure, int error, const char* call, const char* what_format, ...)
    __attribute__((format(printf, 4, 5)));

// snprintf that marks a cut message with "..." at its end instead of cutting it silently.
void format_bounded(char* out, std::size_t size, const char* format, ...) __attribute__((format(printf, 3, 4)));

// strerror without allocation (glibc's strerror may allocate for unknown codes).
const char* error_text(int error);

}  // namespace airlock::sandbox::linux_backend
