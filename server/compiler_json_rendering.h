#pragma once

// gcc 12's -fdiagnostics-format=json replaces its text diagnostics on stderr with one line holding a JSON array
// ("[]" for a clean compile). Exact ranges and notes come from that JSON, but a person reading the run's output
// should see what gcc's text form says. For runs whose steps ask gcc for JSON, this filter takes stderr text, shows
// such a line as gcc's text form and hands the JSON itself to the diagnostics parser; every other line is shown
// and parsed as it is.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::server {

class CompilerJsonRendering {
 public:
  // The option a step passes to ask gcc for JSON diagnostics.
  static constexpr std::string_view kOption = "-fdiagnostics-format=json";
  // A line longer than this is the program's own output, not gcc's: it is shown as it is, without holding it back.
  static constexpr std::size_t kMaxLineBytes = 4 << 20;

  static bool wanted_by(const std::vector<std::vector<std::string>>& steps);

  // `text` is valid UTF-8. Appends what the reader sees to `shown` and what the diagnostics parse to `parsed`.
  void push(std::string_view text, std::string& shown, std::string& parsed);
  // End of stream: a line still held back is released.
  void finish(std::string& shown, std::string& parsed);

  // gcc's text form of one JSON line, or nullopt when the line is not gcc's diagnostics array.
  static std::optional<std::string> render(std::string_view line);

 private:
  void release_line(std::string& shown, std::string& parsed);

  std::string line_;
  bool holding_ = false;
  bool at_line_start_ = true;
};

}  // namespace airlock::server
