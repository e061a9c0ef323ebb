#include <doctest/doctest.h>

#include "server/cli_args.h"

using airlock::server::CliArgs;

TEST_CASE("options, flags, positionals and passthrough arguments") {
  CliArgs args({"--lang", "python", "--timeout-ms=500", "--json", "file.py", "--", "--not-an-option", "x"});
  CHECK(args.take_value("--lang") == "python");
  CHECK(args.take_number("--timeout-ms") == 500);
  CHECK(args.take_flag("--json"));
  CHECK_FALSE(args.take_flag("--json"));
  CHECK(args.positionals() == std::vector<std::string>{"file.py"});
  CHECK(args.passthrough() == std::vector<std::string>{"--not-an-option", "x"});
}

TEST_CASE("bad command lines are explained") {
  CHECK_THROWS_WITH(CliArgs({"--lang"}).take_value("--lang"), "--lang needs a value");
  CHECK_THROWS_AS(CliArgs({"--timeout-ms", "soon"}).take_number("--timeout-ms"), std::invalid_argument);
  CHECK_THROWS_WITH(CliArgs({"--bogus", "f"}).positionals(), "unknown option --bogus");
}
