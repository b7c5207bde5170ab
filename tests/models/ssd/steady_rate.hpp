// Test support: the saturated rate of a closed-loop run, measured between the completions at 20 %
// and 80 % of the run, so that the start (an empty pipeline, a DRAM cache still taking writes at
// link speed) and the drain at the end do not count.
#pragma once

#include <algorithm>
#include <vector>

#include "sim/device/completion_record.hpp"

namespace blocksim::testing {

struct SteadyRate {
  double requests_per_second = 0;
  double bytes_per_second = 0;
};

inline SteadyRate steady_rate(std::vector<CompletionRecord> records) {
  std::sort(records.begin(), records.end(),
            [](const CompletionRecord& a, const CompletionRecord& b) { return a.complete < b.complete; });
  const std::size_t first = records.size() / 5;
  const std::size_t last = records.size() * 4 / 5;
  double bytes = 0;
  for (std::size_t i = first + 1; i <= last; ++i)
    bytes += static_cast<double>(records[i].bytes);
  const double seconds = static_cast<double>(records[last].complete - records[first].complete) * 1e-9;
  return {static_cast<double>(last - first) / seconds, bytes / seconds};
}

}  // namespace blocksim::testing
