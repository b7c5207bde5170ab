// Garbage collection in time, one victim per plane at a time. Foreground: when a plane's free
// blocks fall to `foreground_threshold` it starts at once, its reads and programs competing with
// host I/O (and host writes to the plane stall once only GC's reserve is left). Background: when
// a die has nothing else to do, its planes at or below `background_threshold` start collecting.
// A collection reads the victim's pages that hold valid units (a few at a time), hands those units
// to the FlashWriter to be programmed into the same plane, and erases the victim once nothing
// valid is left in it. Static wear levelling uses the same path for the plane's least-erased
// block. The collector keeps per-plane job state; everything else belongs to the device.
//
// Folding (the SLC cache) is collection with an SLC victim: its valid units are read at SLC tR
// and programmed into native blocks, then it is erased. Besides being an ordinary GC victim when
// the plane runs short of free blocks, the plane's oldest closed SLC block is folded (1) when
// the cache holds more blocks than its capacity allows (its dynamic part shrank as the drive
// filled), from check(); (2) in idle time: once no host data has waited in the DRAM cache for
// `idle_fold_delay`, in rounds: every die without a job folds one SLC block in each of its planes
// together (multi-plane reads and programs), and when the round's last fold ends the next round
// starts while the device stays idle. Rounds start from background timers, so idle folding never
// keeps a run going: a run ends when its host work does, with the round then in progress
// finished. Each fold erases one SLC block and nothing opens SLC blocks but host data, so
// folding always ends.
#pragma once

#include <cstdint>
#include <vector>

#include "models/ssd/flash_writer.hpp"
#include "models/ssd/ftl.hpp"
#include "models/ssd/nand_array.hpp"
#include "sim/core/background_timers.hpp"
#include "sim/core/engine.hpp"

namespace blocksim::ssd {

struct GcCounters {
  std::uint64_t collections = 0;       // victims erased
  std::uint64_t wear_levelling = 0;    // of which chosen by static wear levelling
  std::uint64_t background = 0;        // of which started in idle time
  std::uint64_t folds = 0;             // of which SLC blocks (folded)
  std::uint64_t idle_folds = 0;        // of which folded in idle time
};

class GarbageCollector {
 public:
  GarbageCollector(Engine& engine, const SsdConfig& config, Ftl& ftl, NandArray& nand, FlashWriter& writer);

  // Foreground trigger: the plane may have just used a free block.
  void check(std::uint32_t plane);
  // Background trigger: the die has nothing to do.
  void die_idle(std::uint32_t die);
  // All reads of the plane's current victim are done (or there is no victim).
  bool reads_done(std::uint32_t plane) const;

  const GcCounters& counters() const { return counters_; }
  void reset_counters() { counters_ = {}; }

 private:
  struct Job {
    std::uint32_t victim = kNoBlock;
    std::uint32_t pages = 0;  // pages the victim holds (fewer in an SLC block)
    SimTime read_time = 0;    // tR of its pages (0: the array's)
    std::uint32_t next_page = 0;
    std::uint32_t reads_out = 0;
    bool empty = false;
    bool erasing = false;
    bool wear = false;
    bool background = false;
    bool idle_fold = false;
  };

  void start(std::uint32_t plane, std::uint32_t victim, bool wear, bool background);
  void issue_reads(std::uint32_t plane);
  void read_done(std::uint64_t plane_and_page);
  static void victim_empty(void* self, std::uint64_t block);
  void maybe_erase(std::uint32_t plane);
  // Folds the plane's oldest closed SLC block if it has no job; false if it did not.
  bool fold(std::uint32_t plane, bool idle);
  // Idle folding: a background timer `idle_fold_delay` on, and what it does when it fires.
  void arm_idle_fold(SimTime delay);
  void idle_fold_due();
  void erase_done(std::uint64_t plane);

  Engine& engine_;
  SsdGeometry g_;
  GcConfig config_;
  Ftl& ftl_;
  NandArray& nand_;
  FlashWriter& writer_;
  std::vector<Job> jobs_;
  GcCounters counters_;
  SlcConfig slc_;
  static constexpr SimTime kNever = static_cast<SimTime>(~0ull >> 1);
  SimTime idle_fold_at_ = kNever;  // the earliest idle-fold timer pending
  std::uint32_t idle_folds_running_ = 0;  // folds of the idle round in progress
  BackgroundTimers idle_fold_timers_{engine_};  // last: cancelled before the rest goes
};

}  // namespace blocksim::ssd
