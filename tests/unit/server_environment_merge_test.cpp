#include <doctest/doctest.h>

#include <cctype>

#include "server/environment_merge.h"
#include "server/platform/sandbox_environment.h"
#include "server/request_error.h"

using namespace airlock::server;

namespace {

// Windows's rule for ASCII names; airlock.exe uses the system's own table (tested under Wine in tests/windows).
bool same_ignoring_ascii_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

const Environment kBase{{"PATH", "/bin"}, {"HOME", "/tmp/home"}};

}  // namespace

TEST_CASE("environment: where names ignore case, a request's Path replaces the base PATH under its own spelling") {
  const Environment merged = merge_environment(kBase, {{"Path", "C:\\tools"}, {"NEW", "1"}}, same_ignoring_ascii_case);
  CHECK(merged == Environment{{"Path", "C:\\tools"}, {"HOME", "/tmp/home"}, {"NEW", "1"}});
}

TEST_CASE("environment: where names ignore case, two request names for one variable are refused, naming both") {
  try {
    merge_environment(kBase, {{"PATH", "a"}, {"path", "b"}}, same_ignoring_ascii_case);
    FAIL("accepted two spellings of one variable");
  } catch (const RequestError& error) {
    CHECK(error.code() == airlock::protocol::ErrorCode::InvalidParams);
    CHECK(std::string(error.what()).find("\"PATH\" and \"path\"") != std::string::npos);
  }
}

TEST_CASE("environment: on POSIX names are exact, so Path is a variable of its own next to PATH") {
  const Environment merged = merge_environment(kBase, {{"Path", "x"}, {"PATH", "/usr/bin"}}, platform::same_variable_name);
  CHECK(merged == Environment{{"PATH", "/usr/bin"}, {"HOME", "/tmp/home"}, {"Path", "x"}});
}
