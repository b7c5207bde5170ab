#include "sim/workload/synthetic_job.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/core/units.hpp"

namespace blocksim {

SyntheticJob::SyntheticJob(Engine& engine, IOStorage& target, const proto::Job& config, std::uint64_t seed,
                           std::uint64_t stream, RequestIds& ids)
    : engine_(engine),
      target_(target),
      ids_(ids),
      rng_(seed, stream),
      read_fraction_(config.read_fraction()),
      fua_fraction_(config.fua_fraction()),
      sequential_(config.pattern() == proto::Job::SEQUENTIAL),
      block_size_(target.block_size()),
      region_start_(units::bytes(config.offset())) {
  const std::uint64_t span = units::bytes(config.span());
  region_bytes_ = span != 0 ? span : target.size_bytes() - region_start_;

  if (config.has_block_size_range()) {
    range_low_blocks_ = units::bytes(config.block_size_range().low()) / block_size_;
    range_high_blocks_ = units::bytes(config.block_size_range().high()) / block_size_;
  } else if (config.block_size_split_size() > 0) {
    double total = 0;
    for (const auto& share : config.block_size_split()) {
      total += share.weight();
      sizes_.push_back({units::bytes(share.size()), total});
    }
  } else {
    sizes_.push_back({units::bytes(config.block_size()), 1.0});
  }
  // Random offsets are multiples of the smallest request size from the region's start, as fio's
  // blockalign (default: the block size, the minimum of a range) places them, so that a random
  // 4 KiB job on a drive of 512-byte sectors is 4 KiB-aligned, as datasheet figures are measured.
  align_ = block_size_;
  if (config.has_block_size_range()) {
    align_ = range_low_blocks_ * block_size_;
  } else {
    align_ = sizes_.front().bytes;
    for (const auto& size : sizes_)
      align_ = std::min(align_, size.bytes);
  }
  if (align_ == 0 || align_ % block_size_ != 0)
    align_ = block_size_;

  switch (config.arrival_case()) {
    case proto::Job::kPoisson:
      arrival_ = Arrival::kPoisson;
      mean_interarrival_ns_ = 1e9 / units::rate(config.poisson().rate());
      break;
    case proto::Job::kFixed:
      arrival_ = Arrival::kFixed;
      interval_ = units::duration_ns(config.fixed().interval());
      break;
    case proto::Job::kClosed:
      queue_depth_ = config.closed().queue_depth();
      break;
    case proto::Job::ARRIVAL_NOT_SET:
      break;
  }
  request_limit_ = config.requests();
  if (config.has_duration())
    time_limit_ = units::duration_ns(config.duration());
}

bool SyntheticJob::stopped() const {
  return (request_limit_ != 0 && issued_ >= request_limit_) || (time_limit_ != 0 && engine_.now() >= time_limit_);
}

void SyntheticJob::start() {
  // The duration counts from the start: the stack's set-up may have taken simulated time.
  if (time_limit_ != 0)
    time_limit_ += engine_.now();
  if (arrival_ == Arrival::kClosed) {
    for (std::uint32_t i = 0; i < queue_depth_ && !stopped(); ++i)
      issue_one();
  } else {
    schedule_next_arrival();
  }
}

void SyntheticJob::schedule_next_arrival() {
  const SimTime gap = arrival_ == Arrival::kPoisson
                          ? static_cast<SimTime>(std::llround(rng_.exponential(mean_interarrival_ns_)))
                          : interval_;
  engine_.after(gap, [this] {
    if (stopped())
      return;
    issue_one();
    schedule_next_arrival();
  });
}

std::uint64_t SyntheticJob::draw_size() {
  if (sizes_.empty())
    return (range_low_blocks_ + rng_.below(range_high_blocks_ - range_low_blocks_ + 1)) * block_size_;
  if (sizes_.size() == 1)
    return sizes_.front().bytes;
  const double pick = rng_.uniform() * sizes_.back().cumulative_weight;
  for (const auto& size : sizes_)
    if (pick < size.cumulative_weight)
      return size.bytes;
  return sizes_.back().bytes;
}

std::uint64_t SyntheticJob::draw_offset(std::uint64_t bytes) {
  const std::uint64_t usable = region_bytes_ >= bytes ? region_bytes_ - bytes : 0;
  if (sequential_) {
    if (cursor_ > usable)
      cursor_ = 0;
    const std::uint64_t offset = cursor_;
    cursor_ += bytes;
    return region_start_ + offset;
  }
  return region_start_ + rng_.below(usable / align_ + 1) * align_;
}

void SyntheticJob::issue_one() {
  const bool is_read = rng_.uniform() < read_fraction_;
  const std::uint64_t bytes = draw_size();
  const std::uint64_t offset = draw_offset(bytes);
  const bool fua = !is_read && fua_fraction_ > 0 && rng_.uniform() < fua_fraction_;

  const std::uint32_t slot = in_flight_.acquire();
  InFlight& request = in_flight_[slot];
  request.slot = slot;
  request.buffer.direction = is_read ? IODirection::kIn : IODirection::kOut;
  request.buffer.length = bytes;
  request.buffer.request_id = ids_.next();
  request.attributes.options = fua ? kIOStorageOptionForceUnitAccess : kIOStorageOptionNone;
  request.completion = IOStorageCompletion{this, &SyntheticJob::on_complete, &request};
  ++issued_;

  submitting_ = true;
  if (is_read)
    target_.read(offset, &request.buffer, &request.attributes, &request.completion);
  else
    target_.write(offset, &request.buffer, &request.attributes, &request.completion);
  submitting_ = false;
}

void SyntheticJob::on_complete(void* target, void* parameter, IOReturn status, std::uint64_t /*actual_bytes*/) {
  static_cast<SyntheticJob*>(target)->completed(static_cast<InFlight*>(parameter), status);
}

void SyntheticJob::completed(InFlight* request, IOReturn status) {
  ++completed_;
  if (status != kIOReturnSuccess)
    ++failed_;
  in_flight_.release(request->slot);
  if (arrival_ != Arrival::kClosed || stopped())
    return;
  if (!submitting_) {
    issue_one();
    return;
  }
  // The target completed inside our own submit call (an immediate error). Issuing from here
  // would recurse once per request; take the next turn from a timer instead, a microsecond on
  // (the time a failing call costs), so that a job that only meets errors (media gone) still
  // reaches the end of its duration.
  engine_.after(kMicrosecond, [this] {
    if (!stopped())
      issue_one();
  });
}

}  // namespace blocksim
