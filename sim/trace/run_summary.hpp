// The figures a run is judged by, per layer and operation: requests, errors, IOPS, MB/s and
// latency (submit to completion) mean, p50, p99, p99.9 and max in the text table; the histograms
// behind them, and those of the two parts of latency (queueing: submit to dispatch; service:
// dispatch to completion), for the JSON summary (summary_json.hpp). Built from completions as they
// happen during a run, or from a trace file afterwards, by the same code, so `blocksim run` and
// `blocksim trace summary` print the same table for the same run.
// IOPS and MB/s are over the run's span: from the first submit to the last completion.
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string>

#include "sim/device/completion_record.hpp"
#include "sim/trace/latency_histogram.hpp"

namespace blocksim {

class RunSummary {
 public:
  struct Row {
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    std::uint64_t bytes = 0;
    LatencyHistogram latency;    // submit to completion
    LatencyHistogram queueing;   // submit to dispatch (0 for a request never dispatched)
    LatencyHistogram service;    // dispatch to completion
  };

  void add(const CompletionRecord& record);
  // Adds every completion `other` summarised, as if each had been add()ed here: the figures are
  // those of one summary of both (a replay split across processes merges its parts' this way).
  void merge(const RunSummary& other);

  std::uint64_t records() const { return records_; }
  SimTime span() const { return records_ ? last_complete_ - first_submit_ : 0; }
  // The row of (layer, op), or null when nothing was recorded there; the "all operations" row of
  // a layer has op = kOpCount.
  const Row* row(Layer layer, int op) const;
  SimTime first_submit() const { return first_submit_; }
  SimTime last_complete() const { return last_complete_; }
  // For a summary read back from its message (run_summary_message.hpp).
  Row& mutable_row(Layer layer, int op) { return rows_[index_of(layer, op)]; }
  void set_span(std::uint64_t records, SimTime first_submit, SimTime last_complete) {
    records_ = records;
    first_submit_ = first_submit;
    last_complete_ = last_complete;
  }

  // The table, one section per layer present, with an "all" row per layer.
  void print(std::ostream& out) const;
  // Calls `visit(layer, op, row)` for every row present, in the table's order (op = kOpCount for
  // a layer's "all" row).
  template <class Visit>
  void for_each_row(Visit&& visit) const {
    for (std::size_t index = 0; index < rows_.size(); ++index)
      if (rows_[index].requests > 0)
        visit(static_cast<Layer>(static_cast<int>(index) / kRowsPerLayer), static_cast<int>(index) % kRowsPerLayer,
              rows_[index]);
  }

 private:
  // Indexed by layer * (kOpCount + 1) + op: every completion touches two rows, so a plain array.
  static constexpr int kRowsPerLayer = kOpCount + 1;
  static std::size_t index_of(Layer layer, int op) {
    return static_cast<std::size_t>(static_cast<int>(layer) * kRowsPerLayer + op);
  }
  std::array<Row, kLayerCount * kRowsPerLayer> rows_;
  std::uint64_t records_ = 0;
  SimTime first_submit_ = 0;
  SimTime last_complete_ = 0;
};

}  // namespace blocksim
