// Looks for any capability left and tries to gain one: the capability sets, becoming uid or gid 0,
// raising capabilities by capset and as ambient ones, dropping the securebits, and acts that need one
// (chroot, giving a file to root, clearing supplementary groups).
#include "verdict.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void capability_set(const char *field) {
  char line[128], probe[32];
  snprintf(probe, sizeof probe, "%.*s", (int)strlen(field) - 1, field);
  FILE *status = fopen("/proc/self/status", "r");
  while (fgets(line, sizeof line, status)) {
    if (strncmp(line, field, strlen(field)) == 0) {
      verdict(probe, strtoull(line + strlen(field), NULL, 16) == 0 ? "empty" : "ESCAPED:not-empty");
    }
  }
  fclose(status);
}

int main(void) {
  capability_set("CapEff:");
  capability_set("CapPrm:");
  capability_set("CapInh:");
  capability_set("CapBnd:");
  capability_set("CapAmb:");
  verdict_of("setuid-0", setuid(0));
  verdict_of("setgid-0", setgid(0));
  struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3};
  struct __user_cap_data_struct data[2] = {{.effective = ~0u, .permitted = ~0u, .inheritable = ~0u},
                                           {.effective = ~0u, .permitted = ~0u, .inheritable = ~0u}};
  verdict_of("capset-all", syscall(SYS_capset, &header, data));
  verdict_of("ambient-raise", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_ADMIN, 0, 0));
  verdict_of("securebits", prctl(PR_SET_SECUREBITS, 0, 0, 0, 0));
  verdict_of("chroot", chroot("/tmp"));
  int fd = open("/tmp/mine", O_WRONLY | O_CREAT, 0644);
  close(fd);
  verdict_of("chown-to-root", chown("/tmp/mine", 0, 0));
  verdict_of("setgroups", setgroups(0, NULL));
  return 0;
}
