// Assembles program operations when a die is ready for one (NandArray::Scheduler). A program
// writes `pages_per_program` pages in each plane of the die (multi-plane); each plane's share is
// filled first with units GC read from that plane's victim, then with the oldest dirty units of
// the DRAM cache, and padded if something waits for flash and data runs short. A host unit only
// partly written whose old data is on flash is merged with it first (read-modify-write). Host
// data goes to whichever die is free first (dynamic allocation), so every die works while there
// is data.
// Units get their flash slot, and the map its new entry, when the program is assembled; the
// cache learns they are clean when it ends. A power cut puts the map back where it was for the
// programs that never ended (what they wrote is not on flash), so the map only ever points at
// programmed data afterwards. The writer owns its program records; the FTL, cache, array and
// collector belong to the device.
//
// With an SLC cache, a die's program is either an SLC program (host data only, into the planes'
// open SLC blocks, at the SLC tPROG) when every plane of the die has SLC room, or a native one:
// GC's (and folding's) units first, then host data, which then goes "direct" (counted, and the
// time from the first direct program until an SLC program again is the time spent direct).
// A program with GC units to move is always native, so folding never waits for cache room.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "sim/core/slot_pool.hpp"
#include "models/ssd/data_cache.hpp"
#include "models/ssd/ftl.hpp"
#include "models/ssd/nand_array.hpp"
#include "sim/core/engine.hpp"

namespace blocksim::ssd {

class GarbageCollector;

class FlashWriter final : public NandArray::Scheduler {
 public:
  // SLC cache figures (all zero without one).
  struct SlcCounters {
    std::uint64_t host_units = 0;    // host units programmed into SLC blocks (cache hits)
    std::uint64_t direct_units = 0;  // host units programmed into native blocks
    std::uint64_t folded_units = 0;  // units moved out of SLC blocks into native ones
    SimTime direct_time = 0;         // ended spells of writing direct (see direct_time())
  };

  FlashWriter(const Engine& engine, const SsdConfig& config, Ftl& ftl, DataCache& cache);
  void set_collector(GarbageCollector* collector) { collector_ = collector; }
  // Runs after each program of host data ends: cache space may have come free.
  void set_programmed_listener(Callback listener) { programmed_listener_ = listener; }

  // A unit GC read from `plane`'s victim (it sat in `psn`), waiting to be programmed.
  void add_gc_unit(std::uint32_t plane, std::uint32_t lpn, std::uint32_t psn);
  // GC's reads of the plane's victim are all in: what is pending may go in a part-filled program.
  void gc_reads_finished(std::uint32_t plane) { refresh(plane); }
  // The plane's victim is erased: what is still pending from it was overwritten meanwhile.
  void drop_gc_units(std::uint32_t plane) {
    gc_pending_[plane].clear();
    refresh(plane);
  }

  // Host units merged with their old flash data before programming (read-modify-writes).
  std::uint64_t merge_reads() const { return merge_reads_; }
  // Power is lost: programs in flight never end. Each unit they were writing goes back to its
  // older copy when that is still on flash, else is unmapped; nothing is programmed any more.
  // Returns the units unmapped so (their older copy was gone).
  std::uint64_t power_cut();
  // The slots programs in flight are writing (for checks).
  std::vector<std::uint32_t> slots_in_flight() const;

  // No host data waits in the DRAM cache to be programmed (idle time, for folding).
  bool host_idle() const { return cache_.dirty() == 0; }
  const SlcCounters& slc_counters() const { return slc_; }
  // Time host data went direct because the SLC cache was full, up to now: a spell starts with a
  // program that goes direct for want of SLC room and ends with an SLC program or when no host
  // data is left to program.
  SimTime direct_time() const;

  bool has_work() const override;
  bool next_program(std::uint32_t die, NandArray::ProgramOp* op) override;
  void die_idle(std::uint32_t die) override;

 private:
  struct GcUnit {
    std::uint32_t lpn;
    std::uint32_t psn;
  };
  // A unit a program moves: the map points at `to` from when the program is assembled.
  struct Move {
    std::uint32_t lpn, from, to;
  };
  struct Job {
    std::vector<DataCache::Taken> host;
    std::vector<Move> moves;
    std::uint64_t sequence = 0;
    bool live = false;
  };

  std::uint32_t fill_plane(std::uint32_t plane, bool with_host, Job& job, std::uint64_t* crossing,
                           std::uint32_t* merges);
  // Host units into the plane's open SLC block, one SLC program unit (padded).
  std::uint32_t fill_plane_slc(std::uint32_t plane, Job& job, std::uint64_t* crossing, std::uint32_t* merges);
  // Takes the next dirty unit of the cache into `to` (merging with its flash copy if partial).
  bool take_host_unit(std::uint32_t plane, bool slc, Job& job, std::uint64_t* crossing, std::uint32_t* merges);
  void refresh(std::uint32_t plane);
  // A spell of writing direct ends (an SLC program, or no host data left): its time is counted.
  void end_direct_spell();
  void program_done(std::uint64_t job);

  const Engine& engine_;
  SsdGeometry g_;
  SlcConfig slc_config_;
  bool copyback_;
  Ftl& ftl_;
  DataCache& cache_;
  GarbageCollector* collector_ = nullptr;
  Callback programmed_listener_;
  SlotPool<Job> jobs_;
  std::vector<std::deque<GcUnit>> gc_pending_;  // per plane
  std::vector<std::uint8_t> gc_ready_;          // per plane: a GC program may go now
  std::uint32_t gc_ready_planes_ = 0;
  std::uint64_t merge_reads_ = 0;
  std::uint64_t next_sequence_ = 0;
  bool powered_off_ = false;
  SlcCounters slc_;
  bool direct_ = false;         // the last host program went direct for want of SLC room
  SimTime direct_since_ = 0;
};

}  // namespace blocksim::ssd
