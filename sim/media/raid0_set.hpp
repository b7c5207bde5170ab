// RAID-0: the set's bytes are dealt out to the members in stripes of `stripe_size` bytes, round
// robin: byte x lies in stripe k = x / stripe_size, on member k mod n, at member offset
// (k / n) * stripe_size + x mod stripe_size. The set holds n whole stripes per row over the
// smallest member. A request becomes one piece per stripe it touches, all issued at once; it
// fails with the first failed piece (in address order), reporting the bytes before it.
#pragma once

#include "sim/media/raid_set.hpp"

namespace blocksim {

class Raid0Set final : public RaidSet {
 public:
  Raid0Set(const StackContext& context, std::string name, std::vector<IOMedia*> members, std::uint64_t stripe_size)
      : RaidSet(context, std::move(name), std::move(members)), stripe_size_(stripe_size) {}

  std::uint64_t stripe_size() const { return stripe_size_; }

 private:
  std::uint64_t set_size() const override;
  void plan(Request& r, std::uint64_t byteStart) override;
  void outcome(const Request& r, IOReturn* status, std::uint64_t* bytes) override;

  std::uint64_t stripe_size_;
};

}  // namespace blocksim
