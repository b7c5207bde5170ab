#include "models/hdd/host_port.hpp"

#include <algorithm>
#include <cmath>

#include "models/hdd/disk_arm.hpp"

namespace blocksim::hdd {

HostPort::HostPort(Engine& engine, Endpoint dma, std::uint64_t block_size, double read_rate, double write_rate,
                   double nominal_rate)
    : engine_(engine),
      dma_(dma),
      block_size_(block_size),
      read_rate_(read_rate),
      write_rate_(write_rate),
      nominal_rate_(nominal_rate) {}

void HostPort::request(std::uint32_t owner, SimTime delay, Callback granted) {
  waiting_.push_back({owner, delay, granted});
  if (!connected_)
    grant_next();
}

void HostPort::grant_next() {
  if (connected_ || waiting_.empty())
    return;
  const Waiting next = waiting_.front();
  waiting_.pop_front();
  connected_ = true;
  owner_ = next.owner;
  // Always through a timer: a grant never runs inside the caller's own request().
  engine_.after(next.delay, [granted = next.granted] { granted(); });
}

void HostPort::hold(SimTime delay, Callback done) {
  engine_.after(delay, [done] { done(); });
}

void HostPort::burst(TransferDirection direction, std::uint64_t first, std::uint64_t blocks, Callback done) {
  const double dir_rate = direction == TransferDirection::kToHost ? read_rate_ : write_rate_;
  const double estimate_rate = dir_rate > 0 ? (nominal_rate_ > 0 ? std::min(dir_rate, nominal_rate_) : dir_rate)
                                            : nominal_rate_;
  bursting_ = true;
  burst_first_ = first;
  burst_blocks_ = blocks;
  burst_start_ = static_cast<double>(engine_.now());
  burst_block_ns_ = estimate_rate > 0 ? static_cast<double>(block_size_) * 1e9 / estimate_rate : 0;
  burst_floor_end_ = dir_rate > 0 ? burst_start_ + static_cast<double>(blocks * block_size_) * 1e9 / dir_rate : 0;
  burst_callback_ = done;
  engine_.transfer(dma_, direction, blocks * block_size_, Callback::to<HostPort, &HostPort::link_done>(this, 0));
}

// The bus moved the bytes; a slower drive-side rate may still hold the burst a while.
void HostPort::link_done(std::uint64_t) {
  const double now = static_cast<double>(engine_.now());
  if (burst_floor_end_ > now + 0.5)
    engine_.at(static_cast<SimTime>(std::llround(burst_floor_end_)), [this] { burst_done(0); });
  else
    burst_done(0);
}

void HostPort::burst_done(std::uint64_t) {
  bursting_ = false;
  burst_floor_end_ = 0;
  burst_start_ = static_cast<double>(engine_.now());  // every block of it has crossed by now
  burst_block_ns_ = 0;
  burst_callback_();
}

double HostPort::crossed_ns(std::uint64_t lbn) const {
  if (lbn < burst_first_ || lbn >= burst_first_ + burst_blocks_)
    return kNever;
  if (!bursting_)
    return burst_start_;
  if (burst_block_ns_ <= 0)
    return kNever;
  return burst_start_ + static_cast<double>(lbn - burst_first_ + 1) * burst_block_ns_;
}

std::uint64_t HostPort::crossed_by(double t_ns) const {
  if (!bursting_)
    return burst_blocks_;
  if (burst_block_ns_ <= 0 || t_ns <= burst_start_)
    return 0;
  const auto n = static_cast<std::uint64_t>((t_ns - burst_start_) / burst_block_ns_);
  return std::min(n, burst_blocks_);
}

void HostPort::release() {
  connected_ = false;
  grant_next();
}

}  // namespace blocksim::hdd
