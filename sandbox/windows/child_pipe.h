#pragma once

// One stdio pipe between the server and a sandboxed program. The server's end is an overlapped named-pipe handle,
// which Boost.Asio's windows::stream_handle can read and write asynchronously (anonymous pipes cannot do
// overlapped I/O); the program's end is an ordinary synchronous handle, as programs expect for stdio.

#include "sandbox/windows/unique_handle.h"

namespace airlock::sandbox::windows {

enum class PipeDirection { to_child, from_child };

struct ChildPipe {
  UniqueHandle server;  // overlapped, not inheritable
  UniqueHandle child;   // synchronous, inheritable: pass it only through a handle list
};

ChildPipe make_child_pipe(PipeDirection direction);

}  // namespace airlock::sandbox::windows
