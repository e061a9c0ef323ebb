// Included by every C attack. Each probe prints one line "verdict <probe> <outcome>": the errno name of a
// refused attempt, ESCAPED when the attempt worked, or a word the attack documents.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

static inline void verdict(const char *probe, const char *outcome) {
  printf("verdict %s %s\n", probe, outcome);
  fflush(stdout);
}

// For a call that returns -1 (or a negative error) and sets errno when it is refused.
static inline void verdict_of(const char *probe, long result) {
  verdict(probe, result < 0 ? strerrorname_np(errno) : "ESCAPED");
}
