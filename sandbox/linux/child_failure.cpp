#include "sandbox/linux/child_failure.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace airlock::sandbox::linux_backend {

const char* error_text(int error) {
  const char* text = ::strerrordesc_np(error);
  return text != nullptr ? text : "unknown error";
}

namespace {

void vformat_bounded(char* out, std::size_t size, const char* format, va_list args) {
  const int length = std::vsnprintf(out, size, format, args);
  if (length < 0) {
    out[0] = '\0';
  } else if (static_cast<std::size_t>(length) >= size && size > 4) {
    std::memcpy(out + size - 4, "...", 4);
  }
}

}  // namespace

void format_bounded(char* out, std::size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  vformat_bounded(out, size, format, args);
  va_end(args);
}

bool fail(ChildFailure& failure, int error, const char* call, const char* what_format, ...) {
  char what[kFailureMessageSize];
  va_list args;
  va_start(args, what_format);
  vformat_bounded(what, sizeof what, what_format, args);
  va_end(args);
  format_bounded(failure.message, sizeof failure.message, "%s: %s failed: %s", what, call, error_text(error));
  failure.error = error;
  return false;
}

}  // namespace airlock::sandbox::linux_backend
