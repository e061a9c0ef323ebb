#include "server/languages.h"

#include <stdexcept>

namespace airlock::server {
namespace {

// C and C++ are compiled inside the sandbox; warnings stay on so the diagnostics reach the editor, as gcc's JSON
// (exact ranges; the server shows it to the reader as gcc's text, compiler_json_rendering.h).
constexpr const char* kBuiltinLanguages = R"json({
  "python":     {"extensions": [".py"],  "steps": [["python3", "-u", "{file}"]]},
  "javascript": {"extensions": [".js", ".mjs", ".cjs"], "steps": [["node", "{file}"]]},
  "bash":       {"extensions": [".sh", ".bash"], "steps": [["bash", "{file}"]]},
  "sh":         {"extensions": [".sh"], "steps": [["sh", "{file}"]]},
  "c":          {"extensions": [".c"],  "steps": [["cc", "-std=c17", "-Wall", "-O1", "-fdiagnostics-format=json", "-o", "{out}", "{file}", "-lm"], ["{out}"]]},
  "cpp":        {"extensions": [".cpp", ".cc", ".cxx"], "steps": [["c++", "-std=c++20", "-Wall", "-O1", "-fdiagnostics-format=json", "-o", "{out}", "{file}"], ["{out}"]]}
})json";

std::string replace_all(std::string text, std::string_view placeholder, const std::string& value) {
  for (std::size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
    text.replace(at, placeholder.size(), value);
  return text;
}

std::vector<std::string> string_array(const nlohmann::json& value, const std::string& where) {
  if (!value.is_array() || value.empty()) throw std::invalid_argument(where + ": expected a non-empty array of strings");
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string() || item.get_ref<const std::string&>().empty())
      throw std::invalid_argument(where + ": expected a non-empty array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

LanguageTable LanguageTable::builtin() {
  LanguageTable table;
  table.merge(nlohmann::json::parse(kBuiltinLanguages));
  return table;
}

void LanguageTable::merge(const nlohmann::json& languages) {
  if (!languages.is_object()) throw std::invalid_argument("languages: expected an object of language entries");
  for (const auto& [name, entry] : languages.items()) {
    const std::string where = "languages." + name;
    if (name.empty()) throw std::invalid_argument("languages: a language name is empty");
    if (!entry.is_object()) throw std::invalid_argument(where + ": expected an object with extensions and steps");
    Language language{.name = name};
    if (entry.contains("extensions")) {
      language.extensions = string_array(entry["extensions"], where + ".extensions");
      for (const auto& ext : language.extensions)
        if (!ext.starts_with('.') || ext.find('/') != std::string::npos)
          throw std::invalid_argument(where + ".extensions: \"" + ext + "\" must start with '.' and contain no '/'");
    }
    if (!entry.contains("steps") || !entry["steps"].is_array() || entry["steps"].empty())
      throw std::invalid_argument(where + ".steps: expected a non-empty array of argv arrays");
    for (std::size_t i = 0; i < entry["steps"].size(); ++i)
      language.steps.push_back(string_array(entry["steps"][i], where + ".steps[" + std::to_string(i) + "]"));
    languages_.insert_or_assign(name, std::move(language));
  }
}

const Language* LanguageTable::find(std::string_view name) const {
  auto it = languages_.find(name);
  return it == languages_.end() ? nullptr : &it->second;
}

const Language* LanguageTable::find_by_extension(std::string_view extension) const {
  // Entries are ordered by name, so where two share an extension (bash and sh: ".sh") the first name wins.
  for (const auto& [name, language] : languages_)
    for (const auto& ext : language.extensions)
      if (ext == extension) return &language;
  return nullptr;
}

std::vector<std::string> LanguageTable::names() const {
  std::vector<std::string> names;
  for (const auto& [name, language] : languages_) names.push_back(name);
  return names;
}

std::vector<std::vector<std::string>> LanguageTable::expand(const Language& language, const std::string& program_path,
                                                            const std::string& build_output,
                                                            const std::vector<std::string>& args) {
  std::vector<std::vector<std::string>> steps;
  for (const auto& step : language.steps) {
    std::vector<std::string> argv;
    for (const auto& word : step) argv.push_back(replace_all(replace_all(word, "{file}", program_path), "{out}", build_output));
    steps.push_back(std::move(argv));
  }
  steps.back().insert(steps.back().end(), args.begin(), args.end());
  return steps;
}

}  // namespace airlock::server
