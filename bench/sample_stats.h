#pragma once

// Median and tail of a set of measurements; the machine is shared and noisy, so means would mislead.

#include <vector>

#include <nlohmann/json.hpp>

namespace airlock::bench {

struct SampleSummary {
  double median = 0;
  double p99 = 0;
  double min = 0;
  double max = 0;
  std::size_t count = 0;
};

// Nearest-rank percentiles; an empty sample gives zeros.
SampleSummary summarize(std::vector<double> samples);
nlohmann::json to_json(const SampleSummary& summary);

}  // namespace airlock::bench
