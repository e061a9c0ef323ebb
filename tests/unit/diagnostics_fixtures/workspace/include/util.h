#pragma once

static inline int clamp(int value) {
  return value < 0 ? 0 : valu;
}
