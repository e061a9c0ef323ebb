#pragma once

// One stdio pipe between the server and a sandboxed program. The server's end is an overlapped named-pipe handle,
// which Boost.Asio's windows::stream_handle can read and write asynchronously (anonymous pipes cannot do
// overlapped I/O); the program's end is an ordinary synchronous handle, as programs expect for stdio.

#include "sandbox/windows/unique_handle.h"

namespace airlock::sandbox::windows {

enum class PipeDirection { to_child, from_child };

// Who uses the far end: a program (synchronous and inheritable, as programs expect for stdio) or a thread of this
// process that stands in for one (overlapped and not inheritable, e.g. the VM agent relay).
enum class ChildEnd { program, this_process };

struct ChildPipe {
  UniqueHandle server;  // overlapped, not inheritable
  UniqueHandle child;   // as ChildEnd says; a program's: pass it only through a handle list
};

ChildPipe make_child_pipe(PipeDirection direction, ChildEnd child_end = ChildEnd::program);

}  // namespace airlock::sandbox::windows
