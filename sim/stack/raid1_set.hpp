// RAID-1: every member holds the whole set. A write goes to every live member and completes when
// all of them have; a member that fails a write is taken out of service, and the write succeeds
// while one copy was written. A read goes to the live member with the fewest reads outstanding
// (ties: the next in turn); if it fails, that member is taken out and the read is sent to
// another. The set holds as much as its smallest member.
#pragma once

#include "sim/stack/raid_set.hpp"

namespace blocksim {

class Raid1Set final : public RaidSet {
 public:
  using RaidSet::RaidSet;

 private:
  std::uint64_t set_size() const override { return smallest_member(); }
  void plan(Request& r, std::uint64_t byteStart) override;
  bool retry(Request& r, Piece& piece) override;
  void outcome(const Request& r, IOReturn* status, std::uint64_t* bytes) override;
  // The live member a read goes to, or -1 when none is left.
  int pick_reader();
  void read_done(const Piece& piece);

  std::vector<std::uint32_t> reads_outstanding_;
  std::uint32_t turn_ = 0;
};

}  // namespace blocksim
