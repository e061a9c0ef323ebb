#include <stdio.h>
#include "util.h"

static int twice(int x) { return 2 * x; }

int main(void) {
	const char *label = "😀数据"; int unused = twice(label);
  printf("%s %d\n", label, clamp(3));
  return 0
}
