#pragma once

// Sole owner of one operating-system resource (a file descriptor, a Windows handle, a socket); closes it exactly
// once. Its traits say what the resource is: its type, its empty value, which values count as empty (Windows has two
// "no handle" values) and how it is closed.

#include <utility>

namespace airlock::sandbox {

template <typename Traits>
class UniqueResource {
 public:
  using Value = typename Traits::Value;

  UniqueResource() = default;
  explicit UniqueResource(Value value) noexcept : value_(adopt(value)) {}
  UniqueResource(UniqueResource&& other) noexcept : value_(other.release()) {}
  UniqueResource& operator=(UniqueResource&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueResource(const UniqueResource&) = delete;
  UniqueResource& operator=(const UniqueResource&) = delete;
  ~UniqueResource() { reset(); }

  Value get() const noexcept { return value_; }
  bool valid() const noexcept { return !Traits::is_empty(value_); }
  explicit operator bool() const noexcept { return valid(); }

  Value release() noexcept { return std::exchange(value_, Traits::empty()); }
  void reset(Value value = Traits::empty()) noexcept {
    if (valid()) Traits::close(value_);
    value_ = adopt(value);
  }

 private:
  static Value adopt(Value value) noexcept { return Traits::is_empty(value) ? Traits::empty() : value; }

  Value value_ = Traits::empty();
};

}  // namespace airlock::sandbox
