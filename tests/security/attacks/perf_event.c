// perf_event_open exposes kernel internals and has a history of privilege escalations: counts its own
// cycles, then watches a whole CPU.
#include "verdict.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  struct perf_event_attr attr = {.type = PERF_TYPE_SOFTWARE, .size = sizeof attr, .config = PERF_COUNT_SW_CPU_CLOCK,
                                 .exclude_kernel = 1, .exclude_hv = 1};
  verdict_of("own-process", syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
  attr.exclude_kernel = 0;
  verdict_of("whole-cpu", syscall(SYS_perf_event_open, &attr, -1, 0, -1, 0));
  return 0;
}
