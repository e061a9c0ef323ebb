// The Windows tests' entry point. Run as "airlock_windows_tests --helper NAME ..." it is instead one of the small
// programs the tests launch (a real executable of the same build, so Wine and Windows run the same code).

#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstring>

#include "test_helpers.h"

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "--helper") == 0) return airlock::windows_tests::run_helper(argc, argv);
  doctest::Context context(argc, argv);
  return context.run();
}
