#include "sandbox/vm/guest/kernel_modules.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sandbox/unique_fd.h"
#include "sandbox/vm/guest/guest_error.h"

namespace airlock::sandbox::vm::guest {

void load_kernel_modules(const std::string& folder) {
  std::ifstream order(folder + "/order");
  if (!order) fail_call("open", "reading the module list " + folder + "/order");
  std::string name;
  while (std::getline(order, name)) {
    if (name.empty()) continue;
    const std::string path = folder + "/" + name;
    UniqueFd module(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!module) fail_call("open", "loading kernel module " + path);
    if (::syscall(SYS_finit_module, module.get(), "", 0) != 0 && errno != EEXIST)
      fail_call("finit_module", "loading kernel module " + path);
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder, ignored);
}

}  // namespace airlock::sandbox::vm::guest
