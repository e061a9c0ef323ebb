#include "protocol/params_error.h"

#include <utility>

namespace airlock::protocol {
namespace {

std::string describe_error(const std::string& path, const std::string& problem) {
  return path.empty() ? problem : path + ": " + problem;
}

}  // namespace

ParamsError::ParamsError(std::string path_in, std::string problem_in)
    : std::runtime_error(describe_error(path_in, problem_in)), path(std::move(path_in)), problem(std::move(problem_in)) {}

ParamsError ParamsError::within(std::string_view parent) const { return ParamsError(join_json_path(parent, path), problem); }

std::string join_json_path(std::string_view parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  if (child.empty()) return std::string(parent);
  std::string joined(parent);
  if (child.front() != '[') joined += '.';
  joined += child;
  return joined;
}

}  // namespace airlock::protocol
