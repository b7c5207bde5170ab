// Seek time as a function of distance in cylinders: a measured table interpolated linearly (and
// extrapolated from its last two points), Ruemmler and Wilkes's two-piece formula, or a curve fitted
// to a datasheet's single-cylinder, average and full-stroke figures; optional exact times for the
// shortest distances override any of them. Zero cylinders cost nothing. A dual curve adds a
// measured table for writes (reads keep the curve above). Immutable once built.
#pragma once

#include <cstdint>
#include <vector>

#include "blocksim/hdd.pb.h"
#include "sim/core/sim_time.hpp"

namespace blocksim::hdd {

class SeekCurve {
 public:
  // `cylinders` is the drive's count, for the three-point fit. Throws ConfigError.
  SeekCurve(const proto::HddSeek& config, std::uint32_t cylinders);

  // Time to move the arm `distance` cylinders, in nanoseconds (fractional, to keep the table's
  // precision until the caller rounds).
  double time_ns(std::uint32_t distance) const;
  // The same for a write: by the write table when there is one, else as time_ns.
  double time_ns(std::uint32_t distance, bool write) const;

 private:
  enum class Kind { kTable, kFormula, kThreePoint };
  struct Table {
    std::vector<std::uint32_t> distances;
    std::vector<double> times_ns;
  };
  static Table read_table(const proto::HddSeekTable& config, const char* field);
  static double table_ns(const Table& table, std::uint32_t distance);
  double formula_ns(std::uint32_t distance) const;
  void fit_three_point(const proto::HddSeekThreePoint& config, std::uint32_t cylinders);

  Kind kind_ = Kind::kTable;
  Table table_;
  Table write_table_;  // empty: writes seek as reads
  std::vector<double> short_ns_;  // distances 1 .. short_ns_.size()
  // Formula: sqrt_base + sqrt_factor*sqrt(d) below boundary, linear_base + linear_factor*d above.
  std::uint32_t boundary_ = 1;
  double sqrt_base_ = 0, sqrt_factor_ = 0, linear_base_ = 0, linear_factor_ = 0;
  double single_ns_ = -1;
  // Three-point: a*sqrt(d-1) + b*(d-1) + c.
  double a_ = 0, b_ = 0, c_ = 0;
};

}  // namespace blocksim::hdd
