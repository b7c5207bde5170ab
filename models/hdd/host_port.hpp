// The drive's end of the host interface: one connection at a time, as on a SCSI bus or a SATA
// link. A request asks for the port; when its turn comes it is connected and, after its command
// processing delay, called back; while connected it moves data in bursts over the device's bus (a
// SimGrid link, so other devices on the same bus share its bandwidth) or holds the connection for
// a delay (a status message); then it releases the port to the next request in line.
// A per-direction rate below the bus's (a drive's per-sector handling) stretches each burst to
// that rate. While a burst runs, the port estimates how many blocks have crossed so far, which is
// what a write's media work may use (the arm writes a sector once its data is in).
// Holds a reference to the engine; owns the waiting line.
#pragma once

#include <cstdint>
#include <deque>

#include "sim/core/callback.hpp"
#include "sim/core/engine.hpp"

namespace blocksim::hdd {

class HostPort {
 public:
  // `nominal_rate` (bytes/s; 0 if unknown) is the bus rate the drive expects, for estimates.
  HostPort(Engine& engine, Endpoint dma, std::uint64_t block_size, double read_rate, double write_rate,
           double nominal_rate);

  bool connected() const { return connected_; }
  std::uint32_t owner() const { return owner_; }
  // Nobody connected and nobody waiting.
  bool idle() const { return !connected_ && waiting_.empty(); }

  // Queues `owner` for the port; once connected and `delay` later, calls `granted`.
  void request(std::uint32_t owner, SimTime delay, Callback granted);
  // Connected: keeps the connection for `delay`, then calls `done`.
  void hold(SimTime delay, Callback done);
  // Connected: moves `blocks` blocks starting at block `first`, then calls `done`.
  void burst(TransferDirection direction, std::uint64_t first, std::uint64_t blocks, Callback done);
  // Ends the connection; the next in line is connected.
  void release();

  // When block `lbn` of the burst in progress (or the last one) has crossed; kNever if unknown.
  double crossed_ns(std::uint64_t lbn) const;
  // Blocks of the burst in progress that have crossed by `t_ns` (all of them once it is over).
  std::uint64_t crossed_by(double t_ns) const;
  bool bursting() const { return bursting_; }
  std::uint64_t burst_first() const { return burst_first_; }
  std::uint64_t burst_blocks() const { return burst_blocks_; }

 private:
  struct Waiting {
    std::uint32_t owner;
    SimTime delay;
    Callback granted;
  };
  void grant_next();
  void link_done(std::uint64_t);
  void burst_done(std::uint64_t);

  Engine& engine_;
  Endpoint dma_;
  std::uint64_t block_size_;
  double read_rate_, write_rate_, nominal_rate_;
  bool connected_ = false;
  std::uint32_t owner_ = 0;
  std::deque<Waiting> waiting_;
  // The burst in progress (or the last one).
  bool bursting_ = false;
  std::uint64_t burst_first_ = 0, burst_blocks_ = 0;
  double burst_start_ = 0, burst_block_ns_ = 0, burst_floor_end_ = 0;
  Callback burst_callback_;
};

}  // namespace blocksim::hdd
