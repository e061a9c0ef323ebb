#include "server/compiler_json_rendering.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace airlock::server {
namespace {

bool is_diagnostic(const nlohmann::json& item) {
  return item.is_object() && item.contains("kind") && item["kind"].is_string() && item.contains("message") &&
         item["message"].is_string();
}

bool all_diagnostics(const nlohmann::json& items) {
  return items.is_array() && std::all_of(items.begin(), items.end(), [](const nlohmann::json& item) {
           return is_diagnostic(item) &&
                  (!item.contains("children") || all_diagnostics(item["children"]));
         });
}

std::string location_prefix(const nlohmann::json& diagnostic) {
  const auto locations = diagnostic.find("locations");
  if (locations == diagnostic.end() || !locations->is_array() || locations->empty()) return {};
  const auto& caret = (*locations)[0].value("caret", nlohmann::json::object());
  if (!caret.is_object() || !caret.contains("file") || !caret["file"].is_string()) return {};
  std::string prefix = caret["file"].get<std::string>() + ":";
  if (caret.contains("line") && caret["line"].is_number_integer())
    prefix += std::to_string(caret["line"].get<long long>()) + ":";
  if (caret.contains("column") && caret["column"].is_number_integer())
    prefix += std::to_string(caret["column"].get<long long>()) + ":";
  return prefix + " ";
}

// One line per diagnostic, as gcc's text form starts it: "file:line:column: kind: message [option]", its notes
// and other children after it.
void render_diagnostic(const nlohmann::json& diagnostic, std::string& out) {
  out += location_prefix(diagnostic);
  out += diagnostic["kind"].get<std::string>() + ": " + diagnostic["message"].get<std::string>();
  if (diagnostic.contains("option") && diagnostic["option"].is_string())
    out += " [" + diagnostic["option"].get<std::string>() + "]";
  out += '\n';
  if (diagnostic.contains("children"))
    for (const auto& child : diagnostic["children"]) render_diagnostic(child, out);
}

}  // namespace

bool CompilerJsonRendering::wanted_by(const std::vector<std::vector<std::string>>& steps) {
  return std::any_of(steps.begin(), steps.end(), [](const std::vector<std::string>& step) {
    return std::find(step.begin(), step.end(), kOption) != step.end();
  });
}

std::optional<std::string> CompilerJsonRendering::render(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  const nlohmann::json items = nlohmann::json::parse(line, nullptr, false);
  if (items.is_discarded() || !all_diagnostics(items)) return std::nullopt;
  std::string out;
  for (const auto& item : items) render_diagnostic(item, out);
  return out;
}

void CompilerJsonRendering::push(std::string_view text, std::string& shown, std::string& parsed) {
  while (!text.empty()) {
    if (at_line_start_) {
      holding_ = text.front() == '[';
      at_line_start_ = false;
    }
    const std::size_t newline = text.find('\n');
    const std::string_view piece = text.substr(0, newline == std::string_view::npos ? text.size() : newline + 1);
    text.remove_prefix(piece.size());
    if (!holding_) {
      shown += piece;
      parsed += piece;
    } else {
      line_ += piece;
      if (newline != std::string_view::npos) {
        release_line(shown, parsed);
      } else if (line_.size() > kMaxLineBytes) {
        shown += line_;
        parsed += line_;
        line_.clear();
        holding_ = false;
      }
    }
    if (newline != std::string_view::npos) at_line_start_ = true;
  }
}

void CompilerJsonRendering::finish(std::string& shown, std::string& parsed) {
  if (holding_) release_line(shown, parsed);
}

void CompilerJsonRendering::release_line(std::string& shown, std::string& parsed) {
  const std::optional<std::string> rendered = render(line_);
  shown += rendered ? *rendered : line_;
  parsed += line_;
  line_.clear();
  holding_ = false;
}

}  // namespace airlock::server
