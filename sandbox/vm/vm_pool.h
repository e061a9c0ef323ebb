#pragma once

// Pre-booted VMs that hide boot time: blank VMs (blank_vm.h) of one shape, each handed to one run and never
// reused. A thread of the pool's own boots them and boots a replacement as soon as one is taken; it is the parent
// of every QEMU it starts, so they all die with it (PR_SET_PDEATHSIG), also when the server is killed. The pool
// must therefore outlive every run it served. Destroying it kills the VMs still waiting.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "sandbox/vm/blank_vm.h"

namespace airlock::sandbox::vm {

class VmPool {
 public:
  // On the pool's thread: `choose_size` once (it may wait for the accelerator probe), then `boot` for each VM.
  VmPool(std::function<std::size_t()> choose_size, std::function<BlankVm()> boot);
  ~VmPool();
  VmPool(const VmPool&) = delete;
  VmPool& operator=(const VmPool&) = delete;

  // A waiting VM of that shape that is still alive, or nothing (the pool is empty, still deciding its size, or
  // holds another shape).
  std::optional<BlankVm> take(const VmShape& shape);

  struct State {
    std::optional<std::size_t> size;  // unset until the pool has decided
    std::size_t waiting = 0;
    std::string failure;              // why the pool stopped booting VMs, if it did
  };
  State state() const;

 private:
  void keep_filled();

  std::function<std::size_t()> choose_size_;
  std::function<BlankVm()> boot_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<BlankVm> waiting_;
  std::optional<std::size_t> size_;
  std::string failure_;
  bool stopping_ = false;
  // Last: started once everything it uses exists.
  std::thread thread_;
};

}  // namespace airlock::sandbox::vm
