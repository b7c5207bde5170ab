// Simulated against measured latencies of the same requests: the mean error, the demerit
// (demerit.hpp, as DiskSim computes it) and percentiles of both, in constant memory. The replay
// feeds it one pair per request whose trace recorded a latency; anything else that has pairs
// (a model's own validation) can use it the same way.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "sim/core/sim_time.hpp"
#include "sim/trace/demerit.hpp"
#include "sim/trace/json_writer.hpp"
#include "sim/trace/latency_histogram.hpp"

namespace blocksim {

class LatencyComparison {
 public:
  void add(SimTime measured, SimTime simulated);

  std::uint64_t count() const { return measured_.count(); }
  const LatencyHistogram& measured() const { return measured_; }
  const LatencyHistogram& simulated() const { return simulated_; }
  // (simulated mean - measured mean) / measured mean, in %.
  double mean_error_percent() const;
  double demerit_ms() const;
  // The demerit as a share of the measured mean, in %.
  double demerit_percent() const;

  // "measured vs simulated: mean error X %, demerit Y ms (Z % of mean)", then the means and
  // percentiles of both in microseconds. `what` says which interval was compared.
  void print(std::ostream& out, const std::string& what) const;
  // The same as a "comparison" object of the JSON summary; `interval` names what was compared.
  void write_json(JsonWriter& json, const std::string& interval) const;

 private:
  LatencyHistogram measured_;
  LatencyHistogram simulated_;
  DiskSimDistribution measured_cdf_;
  DiskSimDistribution simulated_cdf_;
};

}  // namespace blocksim
