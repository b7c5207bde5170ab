// The page-mapped flash translation layer without time: which slot holds each logical unit
// (CompactMap), which unit each slot holds and which are still valid (BlockTable), where the next
// write of each plane goes (one open block per plane, shared by host data and GC copies), and
// what every operation costs in slot programs and erases. The timed parts (FlashWriter,
// GarbageCollector) and preconditioning drive it; it never schedules anything.
//
// A slot is valid when the map still points at it: owner(psn) names the unit it was written
// for and lookup(owner) == psn. A plane collects one victim at a time. Host data leaves room in
// its plane for the victim's valid data, one block more and two program units of padding, so
// that GC can always finish what it started.
//
// With an SLC cache (enable_slc), each plane also has an open SLC block for host data. How many
// SLC blocks may exist at once is the cache's capacity now: the static part plus the dynamic part
// the user space not holding data allows (slc_allowed_blocks). A plane opens an SLC block only
// while it keeps more free blocks than background GC's threshold and two more, so the cache never
// takes blocks garbage collection needs; an SLC block is a GC victim like any other (moving its
// data to native blocks is folding).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/ssd/block_table.hpp"
#include "models/ssd/compact_map.hpp"
#include "models/ssd/sequential_layout.hpp"
#include "models/ssd/ssd_config.hpp"
#include "sim/core/callback.hpp"

namespace blocksim::ssd {

enum class Writer { kHost, kGc };

struct FtlCounters {
  std::uint64_t host_slots = 0;  // slots programmed with host data
  std::uint64_t gc_slots = 0;    // slots programmed with data GC moved
  std::uint64_t pad_slots = 0;   // slots programmed with nothing (partial program units)
  std::uint64_t erases = 0;
  std::uint64_t trimmed = 0;     // mapped units unmapped
};

class Ftl {
 public:
  Ftl(const SsdGeometry& geometry, const GcConfig& gc);

  const SsdGeometry& geometry() const { return g_; }
  const GcConfig& gc_config() const { return gc_; }
  BlockTable& blocks() { return blocks_; }
  const BlockTable& blocks() const { return blocks_; }

  std::uint32_t lookup(std::uint64_t lpn) const { return map_.get(lpn); }
  // The unit `psn` was written for (kNoSlot: none).
  std::uint32_t owner(std::uint32_t psn) const;
  // Whether the map points at `psn` (lookup(owner(psn)) == psn).
  bool is_valid(std::uint32_t psn) const;

  // Whether the plane can take one more program unit of this writer's data.
  bool has_room(std::uint32_t plane, Writer writer) const;
  // Slots the plane can still write: the rest of its open block and its free blocks.
  std::uint64_t writable_slots(std::uint32_t plane) const;
  // The next slot of the plane's open block (its open SLC block if `slc`); opens a free block
  // when it is full.
  std::uint32_t take_slot(std::uint32_t plane, bool slc = false);

  // The SLC cache (off until this is called, before any write).
  void enable_slc(const SlcConfig& slc);
  bool is_slc(std::uint32_t psn) const { return slc_.enabled && blocks_.slc(g_.block_of(psn)); }
  // Mapping units the cache may hold now: static + min(dynamic, unwritten user units / bits).
  std::uint64_t slc_capacity_units() const;
  std::uint64_t slc_allowed_blocks() const { return slc_capacity_units() / slc_.block_slots; }
  // Whether planes [first, first + count) (one die's) can each take an SLC program now.
  bool slc_room(std::uint32_t first, std::uint32_t count) const;
  // More SLC blocks than the capacity allows, counting those being folded as gone.
  bool slc_over_capacity() const;
  // Logical units that hold data (mapped).
  std::uint64_t mapped_units() const { return mapped_units_; }
  // Points `lpn` at `psn` (just taken), invalidating where it was.
  void map(std::uint32_t lpn, std::uint32_t psn, Writer writer) { map(lpn, lookup(lpn), psn, writer); }
  // The same when the caller has just looked up `from`, where `lpn` is now (kNoSlot: unmapped).
  void map(std::uint32_t lpn, std::uint32_t from, std::uint32_t psn, Writer writer);
  void pad(std::uint32_t psn);
  void unmap(std::uint32_t lpn);
  // Power cut: the program writing where `lpn` points never ended; it goes back to `older`, its
  // copy before, if that is still on flash (its block not erased since). Otherwise, or with no
  // older copy, the unit is unmapped and this returns false.
  bool roll_back(std::uint32_t lpn, std::uint32_t older);
  // Pads every open block up to a program-unit boundary (after slot-by-slot preconditioning).
  void align_open_blocks();

  std::uint32_t free_blocks(std::uint32_t plane) const { return blocks_.free_count(plane); }
  // Picks and marks a GC victim in the plane by the configured policy (kNoBlock: none worth it).
  std::uint32_t choose_victim(std::uint32_t plane);
  // Marks a block chosen some other way (wear levelling) as the plane's victim.
  void mark_victim(std::uint32_t block);
  std::uint32_t victim(std::uint32_t plane) const { return victim_[plane]; }
  void erase(std::uint32_t block);
  // fn(context, block) runs when a victim's last valid slot goes away.
  void on_victim_empty(Callback listener) { victim_empty_ = listener; }

  // Preconditioning: the first `units` logical units written sequentially (SequentialLayout).
  void apply_sequential_fill(std::uint64_t units);

  std::uint64_t stamp() const { return stamp_; }
  const FtlCounters& counters() const { return counters_; }
  void reset_counters() { counters_ = {}; }
  std::uint64_t memory_bytes() const { return map_.memory_bytes() + blocks_.memory_bytes(); }

 private:
  void invalidate(std::uint32_t psn);
  void set_valid(std::uint32_t psn, bool valid) {
    const std::uint32_t block = g_.block_of(psn);
    if (blocks_.explicit_owners(block))
      blocks_.set_slot_valid(block, psn - g_.first_slot(block), valid);
  }

  SsdGeometry g_;
  GcConfig gc_;
  std::unique_ptr<SequentialLayout> layout_;
  CompactMap map_;
  BlockTable blocks_;
  std::vector<std::uint32_t> open_block_;  // per plane; kNoBlock when none
  std::vector<std::uint32_t> slc_open_block_;  // per plane, with an SLC cache
  SlcConfig slc_;
  std::uint64_t slc_victims_ = 0;  // SLC blocks marked as victims (being folded)
  std::uint64_t mapped_units_ = 0;
  std::vector<std::uint32_t> victim_;      // per plane; kNoBlock when none
  std::uint64_t stamp_ = 0;                // slots taken so far
  FtlCounters counters_;
  Callback victim_empty_;
};

}  // namespace blocksim::ssd
