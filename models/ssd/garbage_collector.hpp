// Garbage collection in time, one victim per plane at a time. Foreground: when a plane's free
// blocks fall to `foreground_threshold` it starts at once, its reads and programs competing with
// host I/O (and host writes to the plane stall once only GC's reserve is left). Background: when
// a die has nothing else to do, its planes at or below `background_threshold` start collecting.
// A collection reads the victim's pages that hold valid units (a few at a time), hands those units
// to the FlashWriter to be programmed into the same plane, and erases the victim once nothing
// valid is left in it. Static wear levelling uses the same path for the plane's least-erased
// block. The collector keeps per-plane job state; everything else belongs to the device.
#pragma once

#include <cstdint>
#include <vector>

#include "models/ssd/flash_writer.hpp"
#include "models/ssd/ftl.hpp"
#include "models/ssd/nand_array.hpp"
#include "sim/core/engine.hpp"

namespace blocksim::ssd {

struct GcCounters {
  std::uint64_t collections = 0;       // victims erased
  std::uint64_t wear_levelling = 0;    // of which chosen by static wear levelling
  std::uint64_t background = 0;        // of which started in idle time
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
    std::uint32_t next_page = 0;
    std::uint32_t reads_out = 0;
    bool empty = false;
    bool erasing = false;
    bool wear = false;
    bool background = false;
  };

  void start(std::uint32_t plane, std::uint32_t victim, bool wear, bool background);
  void issue_reads(std::uint32_t plane);
  void read_done(std::uint64_t plane_and_page);
  static void victim_empty(void* self, std::uint64_t block);
  void maybe_erase(std::uint32_t plane);
  void erase_done(std::uint64_t plane);

  Engine& engine_;
  SsdGeometry g_;
  GcConfig config_;
  Ftl& ftl_;
  NandArray& nand_;
  FlashWriter& writer_;
  std::vector<Job> jobs_;
  GcCounters counters_;
};

}  // namespace blocksim::ssd
