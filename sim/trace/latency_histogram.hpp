// Latencies in integer nanoseconds, counted in log-linear buckets: exact below 1024 ns, then 1024
// buckets per power of two (a bucket is at most 1/1024 of its value wide). Memory is bounded by
// the largest value seen, not by the count, so a run of any length summarises in constant space.
// A percentile is the midpoint of the bucket that holds the rank-th smallest value, clamped to
// the smallest and largest values seen: within 0.05 % of the exact order statistic. The mean and
// standard deviation come from exact integer sums, so histograms filled in parts and merged give
// the very figures of one filled with every value (a replay split across processes).
// analysis/blocksim_analysis/stats.py computes the same figure from a trace.
#pragma once

#include <cstdint>
#include <utility>
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

  // Adds every value `other` holds, as if each had been add()ed here.
  void merge(const LatencyHistogram& other);
  // The non-empty buckets in order, for writing a histogram out; restore() takes them back.
  template <class Visit>
  void for_each_bucket(Visit&& visit) const {
    for (std::uint32_t bucket = 0; bucket < counts_.size(); ++bucket)
      if (counts_[bucket] != 0)
        visit(bucket, counts_[bucket]);
  }
  // The exact sums behind mean() and stdev(), for writing a histogram out.
  struct Sums {
    unsigned __int128 sum = 0;
    unsigned __int128 squares = 0;
    bool squares_overflowed = false;
  };
  const Sums& sums() const { return sums_; }
  // A histogram written out as its buckets (visited in any order), sums, minimum and maximum.
  static LatencyHistogram restore(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& buckets,
                                  const Sums& sums, std::uint64_t min, std::uint64_t max);

  static std::uint32_t bucket_of(std::uint64_t value_ns);
  static std::uint64_t bucket_low(std::uint32_t bucket);
  static std::uint64_t bucket_high(std::uint32_t bucket);

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t min_ = 0;
  std::uint64_t max_ = 0;
  // Exact: the squares overflow only past about 2^64 / count ns (a flag then, and stdev() works
  // from the buckets instead).
  Sums sums_;
};

}  // namespace blocksim
