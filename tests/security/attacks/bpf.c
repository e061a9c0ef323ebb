// eBPF is a large kernel attack surface: creates a map and loads a socket filter program.
#include "verdict.h"

#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  union bpf_attr map = {.map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 1};
  verdict_of("map-create", syscall(SYS_bpf, BPF_MAP_CREATE, &map, sizeof map));

  struct bpf_insn program[] = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
      {.code = BPF_JMP | BPF_EXIT},
  };
  union bpf_attr load = {.prog_type = BPF_PROG_TYPE_SOCKET_FILTER, .insn_cnt = 2,
                         .insns = (unsigned long)program, .license = (unsigned long)"GPL"};
  verdict_of("prog-load", syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load));
  return 0;
}
