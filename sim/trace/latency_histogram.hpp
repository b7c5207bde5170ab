// Latencies in integer nanoseconds, counted in log-linear buckets: exact below 1024 ns, then 1024
// buckets per power of two (a bucket is at most 1/1024 of its value wide). Memory is bounded by
// the largest value seen, not by the count, so a run of any length summarises in constant space.
// A percentile is the midpoint of the bucket that holds the rank-th smallest value, clamped to
// the smallest and largest values seen: within 0.05 % of the exact order statistic.
// analysis/blocksim_analysis/stats.py computes the same figure from a trace.
#pragma once

#include <cstdint>
#include <vector>

namespace blocksim {

class LatencyHistogram {
 public:
  void add(std::uint64_t value_ns);

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const;
  // The sample standard deviation (n - 1 in the denominator, as fio reports it); 0 below two values.
  double stdev() const;
  // p in [0, 1]; rank = max(1, ceil(p * count)).
  double percentile(double p) const;

  static std::uint32_t bucket_of(std::uint64_t value_ns);
  static std::uint64_t bucket_low(std::uint32_t bucket);
  static std::uint64_t bucket_high(std::uint32_t bucket);

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t min_ = 0;
  std::uint64_t max_ = 0;
  unsigned __int128 sum_ = 0;
  // Welford's running mean and sum of squared deviations: stable where sum of squares is not.
  double running_mean_ = 0;
  double squared_deviations_ = 0;
};

}  // namespace blocksim
