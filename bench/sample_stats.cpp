#include "bench/sample_stats.h"

#include <algorithm>
#include <cmath>

namespace airlock::bench {
namespace {

double nearest_rank(const std::vector<double>& sorted, double fraction) {
  const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

double rounded(double value) { return std::round(value * 1000.0) / 1000.0; }

}  // namespace

SampleSummary summarize(std::vector<double> samples) {
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end());
  return {.median = nearest_rank(samples, 0.5),
          .p99 = nearest_rank(samples, 0.99),
          .min = samples.front(),
          .max = samples.back(),
          .count = samples.size()};
}

nlohmann::json to_json(const SampleSummary& summary) {
  return {{"median", rounded(summary.median)}, {"p99", rounded(summary.p99)}, {"min", rounded(summary.min)},
          {"max", rounded(summary.max)}, {"count", summary.count}};
}

}  // namespace airlock::bench
