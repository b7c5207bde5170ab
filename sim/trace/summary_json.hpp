// The JSON form of the summary (`--output-format json`; docs/trace_format.md documents every
// field): the figures of the text table and, per layer and operation, the whole distribution of
// latency and of its two parts, queueing (submit to dispatch) and service (dispatch to
// completion): min, mean, stdev, p1 ... p99.99, max, in microseconds. These writers only turn a
// RunSummary (or one histogram) into JSON; the commands put the rest of the document around them.
#pragma once

#include <array>
#include <string>
#include <utility>

#include "sim/trace/json_writer.hpp"
#include "sim/trace/latency_histogram.hpp"
#include "sim/trace/run_summary.hpp"

namespace blocksim {

// The percentiles of the JSON summary (with min, mean, stdev and max: fio's set): key, fraction.
inline constexpr std::array<std::pair<const char*, double>, 9> kJsonPercentiles = {{{"p1", 0.01},
                                                                                      {"p5", 0.05},
                                                                                      {"p10", 0.10},
                                                                                      {"p50", 0.50},
                                                                                      {"p90", 0.90},
                                                                                      {"p95", 0.95},
                                                                                      {"p99", 0.99},
                                                                                      {"p99.9", 0.999},
                                                                                      {"p99.99", 0.9999}}};

// {"min": ..., "mean": ..., "stdev": ..., "p1": ..., ..., "max": ...} under `key`, in microseconds.
void write_distribution_us(JsonWriter& json, const std::string& key, const LatencyHistogram& histogram);

// "simulated_time_s", "records" and "rows": one object per (layer, op) row of the text table.
void write_summary_fields(JsonWriter& json, const RunSummary& summary);

}  // namespace blocksim
