#pragma once

// The table of languages a run may name: how to turn a program file into the steps that run it.
// Built-in entries come first; a user's config file may add languages or replace entries by name.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace airlock::server {

struct Language {
  std::string name;
  std::vector<std::string> extensions;  // ".py"; the first one names snippet files
  // Each step is an argv with placeholders: {file} the program file, {out} a build output path in the
  // sandbox's scratch folder. The run's args are appended to the last step.
  std::vector<std::vector<std::string>> steps;
};

struct ExpandedSteps {
  std::vector<std::vector<std::string>> steps;
};

class LanguageTable {
 public:
  static LanguageTable builtin();

  // Adds or replaces entries from a JSON object {"name": {"extensions": [...], "steps": [[...]]}}.
  // Throws std::invalid_argument naming the offending entry.
  void merge(const nlohmann::json& languages);

  const Language* find(std::string_view name) const;
  const Language* find_by_extension(std::string_view extension) const;
  std::vector<std::string> names() const;

  // The steps for `program_path`, with placeholders filled in and `args` appended to the last step.
  static std::vector<std::vector<std::string>> expand(const Language& language, const std::string& program_path,
                                                      const std::string& build_output,
                                                      const std::vector<std::string>& args);

 private:
  std::map<std::string, Language, std::less<>> languages_;
};

}  // namespace airlock::server
