// The figures a run is judged by, per layer and operation: requests, errors, IOPS, MB/s and
// latency (submit to completion) mean, p50, p99, p99.9 and max. Built from completions as they
// happen during a run, or from a trace file afterwards, by the same code, so `blocksim run` and
// `blocksim trace summary` print the same table for the same run.
// IOPS and MB/s are over the run's span: from the first submit to the last completion.
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string>

#include "sim/core/completion_record.hpp"
#include "sim/trace/latency_histogram.hpp"

namespace blocksim {

class RunSummary {
 public:
  struct Row {
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    std::uint64_t bytes = 0;
    LatencyHistogram latency;
  };

  void add(const CompletionRecord& record);

  std::uint64_t records() const { return records_; }
  SimTime span() const { return records_ ? last_complete_ - first_submit_ : 0; }
  // The row of (layer, op), or null when nothing was recorded there; the "all operations" row of
  // a layer has op = kOpCount.
  const Row* row(Layer layer, int op) const;

  // The table, one section per layer present, with an "all" row per layer.
  void print(std::ostream& out) const;

 private:
  // Indexed by layer * (kOpCount + 1) + op: every completion touches two rows, so a plain array.
  static constexpr int kRowsPerLayer = kOpCount + 1;
  std::array<Row, kLayerCount * kRowsPerLayer> rows_;
  std::uint64_t records_ = 0;
  SimTime first_submit_ = 0;
  SimTime last_complete_ = 0;
};

}  // namespace blocksim
