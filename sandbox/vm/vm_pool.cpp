#include "sandbox/vm/vm_pool.h"

#include <exception>

namespace airlock::sandbox::vm {

VmPool::VmPool(std::function<std::size_t()> choose_size, std::function<BlankVm()> boot)
    : choose_size_(std::move(choose_size)), boot_(std::move(boot)), thread_([this] { keep_filled(); }) {}

VmPool::~VmPool() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

std::optional<BlankVm> VmPool::take(const VmShape& shape) {
  std::optional<BlankVm> taken;
  {
    const std::lock_guard lock(mutex_);
    if (waiting_.empty() || waiting_.front().shape() != shape) return std::nullopt;
    taken.emplace(std::move(waiting_.front()));
    waiting_.pop_front();
    // A VM that died while it waited says the pool's VMs cannot boot here: stop booting more, and let runs boot
    // their own, which report the cause.
    if (!taken->alive()) failure_ = "a pre-booted VM ended before any run took it";
  }
  changed_.notify_all();
  if (!taken->alive()) return std::nullopt;
  return taken;
}

VmPool::State VmPool::state() const {
  const std::lock_guard lock(mutex_);
  return State{.size = size_, .waiting = waiting_.size(), .failure = failure_};
}

void VmPool::keep_filled() {
  std::size_t size = 0;
  std::string failure;
  try {
    size = choose_size_();
  } catch (const std::exception& error) {
    failure = error.what();
  }
  std::unique_lock lock(mutex_);
  size_ = size;
  failure_ = failure;
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || (failure_.empty() && waiting_.size() < size); });
    if (stopping_) break;
    lock.unlock();
    std::optional<BlankVm> booted;
    try {
      booted.emplace(boot_());
    } catch (const std::exception& error) {
      failure = error.what();
    }
    lock.lock();
    if (booted) waiting_.push_back(std::move(*booted));
    else failure_ = failure;
  }
  // On the thread that started them, before it ends and takes them along.
  std::deque<BlankVm> left = std::move(waiting_);
  lock.unlock();
  left.clear();
}

}  // namespace airlock::sandbox::vm
