// The kernel keyring is not namespaced per sandbox: keys count against the user's quota on the host, and a
// session keyring can be joined by name. Adds, joins and requests keys.
#include "verdict.h"

#include <linux/keyctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  verdict_of("add-user-key", syscall(SYS_add_key, "user", "airlock-escape", "secret", 6, KEY_SPEC_USER_KEYRING));
  verdict_of("add-session-key", syscall(SYS_add_key, "user", "airlock-escape", "secret", 6, KEY_SPEC_SESSION_KEYRING));
  verdict_of("join-named-keyring", syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "airlock-escape"));
  verdict_of("request-key", syscall(SYS_request_key, "user", "airlock-escape", NULL, KEY_SPEC_PROCESS_KEYRING));
  verdict_of("read-user-keyring", syscall(SYS_keyctl, KEYCTL_DESCRIBE, KEY_SPEC_USER_KEYRING, NULL, 0));
  return 0;
}
