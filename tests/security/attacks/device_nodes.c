// Opens the devices that reach the host's memory, disks, kernel log, terminals and virtual machines.
#include "verdict.h"

#include <fcntl.h>
#include <unistd.h>

int main(void) {
  const char *devices[] = {"/dev/mem", "/dev/kmem", "/dev/port", "/dev/kmsg", "/dev/vda", "/dev/sda", "/dev/nvme0n1",
                           "/dev/ptmx", "/dev/console", "/dev/net/tun", "/dev/fuse", "/dev/kvm", "/dev/loop-control"};
  for (size_t i = 0; i < sizeof devices / sizeof *devices; ++i) verdict_of(devices[i], open(devices[i], O_RDWR));
  return 0;
}
