// RAID-1: every member holds the whole set. A write goes to every live member and completes when
// all of them have; a member that fails a write is taken out of service, and the write succeeds
// while one copy was written. A read goes to the live member with the fewest reads outstanding
// (ties: the next in turn). If it fails with a media error (kIOReturnIOError: unreadable
// sectors), the member stays in service and the read goes to another member; the sectors stay
// unreadable on that member until a write covers them (the set does not write the good copy back:
// doing so safely would mean holding back writes to the range meanwhile, as md's fix_read_error
// freezes the array). Any other error takes the member out and the read goes to another. The set
// holds as much as its smallest member.
#pragma once

#include "sim/media/raid_set.hpp"

namespace blocksim {

class Raid1Set final : public RaidSet {
 public:
  using RaidSet::RaidSet;

  std::uint64_t media_errors() const { return media_errors_; }

 private:
  std::uint64_t set_size() const override { return smallest_member(); }
  void plan(Request& r, std::uint64_t byteStart) override;
  bool retry(Request& r, Piece& piece) override;
  void outcome(const Request& r, IOReturn* status, std::uint64_t* bytes) override;
  // The live member a read goes to, leaving out those in `exclude` (bit per member); -1 if none.
  int pick_reader(std::uint64_t exclude = 0);
  void read_done(const Piece& piece);

  std::vector<std::uint32_t> reads_outstanding_;
  std::uint32_t turn_ = 0;
  std::uint64_t media_errors_ = 0;
};

}  // namespace blocksim
