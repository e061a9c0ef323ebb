#include <doctest/doctest.h>

#include "server/languages.h"

using airlock::server::LanguageTable;

TEST_CASE("the built-in language table covers the documented languages") {
  auto table = LanguageTable::builtin();
  for (const char* name : {"python", "javascript", "bash", "sh", "c", "cpp"}) CHECK(table.find(name) != nullptr);
  CHECK(table.find("cobol") == nullptr);
  CHECK(table.find_by_extension(".py")->name == "python");
  CHECK(table.find_by_extension(".mjs")->name == "javascript");
  CHECK(table.find_by_extension(".sh")->name == "bash");
  CHECK(table.find_by_extension(".cc")->name == "cpp");
  CHECK(table.find_by_extension(".txt") == nullptr);
}

TEST_CASE("expanding steps fills placeholders and appends args to the last step only") {
  auto table = LanguageTable::builtin();
  auto steps = LanguageTable::expand(*table.find("c"), "/w/main.c", "/tmp/out", {"a", "b"});
  REQUIRE(steps.size() == 2);
  CHECK(std::find(steps[0].begin(), steps[0].end(), "/w/main.c") != steps[0].end());
  CHECK(std::find(steps[0].begin(), steps[0].end(), "a") == steps[0].end());
  CHECK(steps[1] == std::vector<std::string>{"/tmp/out", "a", "b"});
}

TEST_CASE("a config file adds and replaces languages") {
  auto table = LanguageTable::builtin();
  table.merge(nlohmann::json::parse(R"({"ruby": {"extensions": [".rb"], "steps": [["ruby", "{file}"]]},
                                        "python": {"extensions": [".py"], "steps": [["python3.11", "-I", "{file}"]]}})"));
  CHECK(table.find_by_extension(".rb")->name == "ruby");
  CHECK(table.find("python")->steps[0][0] == "python3.11");
}

TEST_CASE("bad language entries name the offending field") {
  auto table = LanguageTable::builtin();
  auto message_of = [&](const char* text) {
    try {
      table.merge(nlohmann::json::parse(text));
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  CHECK(message_of(R"({"x": {"steps": []}})").find("languages.x.steps") != std::string::npos);
  CHECK(message_of(R"({"x": {"steps": [["a", 1]]}})").find("languages.x.steps[0]") != std::string::npos);
  CHECK(message_of(R"({"x": {"extensions": ["rb"], "steps": [["a"]]}})").find("languages.x.extensions") != std::string::npos);
  CHECK(message_of(R"([1])").find("languages") != std::string::npos);
}
