#include "models/reference/service_time.hpp"

#include <cmath>

#include "sim/core/units.hpp"

namespace blocksim {

ServiceTimeModel::ServiceTimeModel(const proto::ServiceTime& config) {
  switch (config.distribution_case()) {
    case proto::ServiceTime::kFixed:
      kind_ = Kind::kFixed;
      fixed_ns_ = static_cast<double>(units::duration_ns(config.fixed()));
      break;
    case proto::ServiceTime::kExponential:
      kind_ = Kind::kExponential;
      mean_ns_ = static_cast<double>(units::duration_ns(config.exponential()));
      break;
    case proto::ServiceTime::kFixedPlusPerByte:
      kind_ = Kind::kFixedPlusPerByte;
      fixed_ns_ = static_cast<double>(units::duration_ns(config.fixed_plus_per_byte().fixed()));
      ns_per_byte_ = 1e9 / units::bandwidth(config.fixed_plus_per_byte().rate());
      break;
    case proto::ServiceTime::DISTRIBUTION_NOT_SET:
      kind_ = Kind::kFixed;
      break;
  }
}

SimTime ServiceTimeModel::sample(Rng& rng, std::uint64_t bytes) const {
  switch (kind_) {
    case Kind::kFixed: return static_cast<SimTime>(fixed_ns_);
    case Kind::kExponential: return static_cast<SimTime>(std::llround(rng.exponential(mean_ns_)));
    case Kind::kFixedPlusPerByte:
      return static_cast<SimTime>(std::llround(fixed_ns_ + ns_per_byte_ * static_cast<double>(bytes)));
  }
  return 0;
}

double ServiceTimeModel::mean_ns(std::uint64_t bytes) const {
  switch (kind_) {
    case Kind::kFixed: return fixed_ns_;
    case Kind::kExponential: return mean_ns_;
    case Kind::kFixedPlusPerByte: return fixed_ns_ + ns_per_byte_ * static_cast<double>(bytes);
  }
  return 0;
}

}  // namespace blocksim
