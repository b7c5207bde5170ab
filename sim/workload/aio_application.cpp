#include "sim/workload/aio_application.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "sim/core/units.hpp"

namespace blocksim {

namespace {
AioLimits limits_of(const proto::AioApplication& config) {
  AioLimits limits;
  limits.max_outstanding = config.max_outstanding();
  limits.workers = config.workers();
  limits.memory = units::bytes(config.memory());
  return limits;
}
}  // namespace

AioApplication::AioApplication(const StackContext& context, IOStorage& target, const proto::AioApplication& config,
                               std::uint64_t seed, std::uint64_t stream)
    : engine_(*context.engine),
      target_(target),
      front_end_(context, limits_of(config)),
      rng_(seed, stream),
      read_fraction_(config.read_fraction()),
      cancel_fraction_(config.cancel_fraction()),
      sequential_(config.sequential()),
      request_size_(units::bytes(config.request_size())),
      alignment_(units::bytes(config.alignment())),
      region_start_(units::bytes(config.offset())),
      has_timeout_(config.has_wait_timeout()),
      request_limit_(config.requests()),
      slots_(config.queue_depth()) {
  const std::uint64_t span = units::bytes(config.span());
  region_bytes_ = span != 0 ? span : target.size_bytes() - region_start_;
  if (has_timeout_) {
    const SimTime ns = units::duration_ns(config.wait_timeout());
    timeout_.tv_sec = static_cast<time_t>(ns / kSecond);
    timeout_.tv_usec = static_cast<suseconds_t>((ns % kSecond) / kMicrosecond);
  }
  if (config.has_duration())
    duration_ = units::duration_ns(config.duration());
  for (Slot& slot : slots_)
    slot.buffer.resize(request_size_);
}

void AioApplication::start() {
  if (duration_)
    end_time_ = engine_.now() + duration_;
  fd_ = front_end_.open(&target_, read_fraction_ < 1 ? O_RDWR : O_RDONLY);
  if (fd_ < 0) {
    ++submit_errors_;
    return;
  }
  step();
}

bool AioApplication::stopped() const {
  return fd_ < 0 || (request_limit_ != 0 && issued_ >= request_limit_) || (end_time_ != 0 && engine_.now() >= end_time_);
}

void AioApplication::step() {
  step_scheduled_ = false;
  if (fd_ < 0)
    return;  // finished, or gave up
  submit_more();
  if (fd_ >= 0 && front_end_.outstanding() > 0) {
    wait();
  } else if (fd_ >= 0) {
    // Nothing outstanding: done, or unable to submit anything at all (a request larger than the
    // library's memory): either way the application ends.
    front_end_.close(fd_);
    fd_ = -1;
  }
}

void AioApplication::submit_more() {
  // At most one round of the queue per turn, so that cancelled submissions cannot spin forever.
  for (std::size_t round = 0; round < slots_.size() && in_flight_ < slots_.size() && !stopped(); ++round) {
    Slot* free_slot = nullptr;
    for (Slot& slot : slots_)
      if (!slot.busy) {
        free_slot = &slot;
        break;
      }
    if (free_slot == nullptr || !submit_one(*free_slot))
      return;
  }
}

bool AioApplication::submit_one(Slot& slot) {
  const bool is_read = rng_.uniform() < read_fraction_;
  const std::uint64_t offset = draw_offset();
  const int size = static_cast<int>(request_size_);
  if (!is_read)
    fill(slot, offset);
  const int rc = is_read ? front_end_.aioread(fd_, slot.buffer.data(), size, static_cast<off_t>(offset), SEEK_SET,
                                              &slot.result)
                         : front_end_.aiowrite(fd_, slot.buffer.data(), size, static_cast<off_t>(offset), SEEK_SET,
                                               &slot.result);
  if (rc != 0) {
    if (front_end_.error() == EAGAIN || front_end_.error() == ENOMEM) {
      ++eagain_;  // the library is full: reap something first
      return false;
    }
    ++submit_errors_;
    front_end_.close(fd_);  // an error that will not go away: the application gives up
    fd_ = -1;
    return false;
  }
  ++issued_;
  ++in_flight_;
  slot.busy = true;
  if (cancel_fraction_ > 0 && rng_.uniform() < cancel_fraction_ && front_end_.aiocancel(&slot.result) == 0) {
    ++cancelled_;
    ++completed_;
    --in_flight_;
    slot.busy = false;
  }
  return true;
}

void AioApplication::wait() {
  if (waiting_)
    return;
  waiting_ = true;
  aio_result_t* result = front_end_.aiowait(has_timeout_ ? &timeout_ : nullptr, [this](aio_result_t* r) {
    waiting_ = false;
    reaped(r);
  });
  if (result == AIO_WAIT_PENDING)
    return;
  waiting_ = false;
  reaped(result);
}

void AioApplication::reaped(aio_result_t* result) {
  SimTime pause = 0;
  if (result == nullptr) {
    ++timeouts_;
  } else if (result != AIO_FAILED) {
    for (Slot& slot : slots_)
      if (&slot.result == result) {
        slot.busy = false;
        --in_flight_;
        ++completed_;
        if (slot.result.aio_return < 0) {
          ++failed_;
          pause = kMicrosecond;  // handling an error takes a little time: no spinning at one instant
        }
        break;
      }
  }
  // The next turn runs from a timer, never inside the completion that woke us.
  if (!step_scheduled_) {
    step_scheduled_ = true;
    engine_.after(pause, [this] { step(); });
  }
}

std::uint64_t AioApplication::draw_offset() {
  const std::uint64_t usable = region_bytes_ >= request_size_ ? region_bytes_ - request_size_ : 0;
  if (sequential_) {
    if (cursor_ > usable)
      cursor_ = 0;
    const std::uint64_t offset = cursor_;
    cursor_ += request_size_;
    return region_start_ + offset;
  }
  return region_start_ + rng_.below(usable / alignment_ + 1) * alignment_;
}

void AioApplication::fill(Slot& slot, std::uint64_t offset) {
  // Each 8-byte word says where it was written and by which request.
  const std::uint64_t tag = issued_ + 1;
  for (std::size_t i = 0; i + 8 <= slot.buffer.size(); i += 8) {
    const std::uint64_t word = (offset + i) ^ (tag << 40);
    std::memcpy(slot.buffer.data() + i, &word, 8);
  }
}

void AioApplication::collect_metrics(std::vector<DeviceMetric>* out) const {
  out->push_back({"aio.eagain", static_cast<double>(eagain_), "count"});
  out->push_back({"aio.timeouts", static_cast<double>(timeouts_), "count"});
  out->push_back({"aio.cancelled", static_cast<double>(cancelled_), "count"});
  out->push_back({"aio.failed", static_cast<double>(failed_), "count"});
  out->push_back({"aio.submit_errors", static_cast<double>(submit_errors_), "count"});
}

}  // namespace blocksim
