// The reference device's media service time: fixed, exponential with a mean, or fixed plus
// bytes over a media rate. Built from the proto::ServiceTime message; an unset message means zero.
#pragma once

#include <cstdint>

#include "blocksim/reference_device.pb.h"
#include "sim/core/random.hpp"
#include "sim/core/sim_time.hpp"

namespace blocksim {

class ServiceTimeModel {
 public:
  explicit ServiceTimeModel(const proto::ServiceTime& config);
  SimTime sample(Rng& rng, std::uint64_t bytes) const;
  // The mean for a request of this many bytes, for reports and tests.
  double mean_ns(std::uint64_t bytes) const;

 private:
  enum class Kind { kFixed, kExponential, kFixedPlusPerByte };
  Kind kind_ = Kind::kFixed;
  double fixed_ns_ = 0;
  double mean_ns_ = 0;
  double ns_per_byte_ = 0;
};

}  // namespace blocksim
