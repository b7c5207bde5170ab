// Time in the NAND array: each die does one operation at a time, each channel moves one die's data
// at a time. A read holds its die for tR and then for its transfer to the controller; a program
// holds its die for the transfer in and then tPROG (after tR per unit it must merge first: a
// read-modify-write of partly written units, charged to the programming die); an erase for
// tBERS. A channel serves its dies' transfers first come first served (ONFI channels are
// time-multiplexed, not shared in bandwidth), so channels are FIFO servers on the engine's
// timers, not SimGrid links; see docs/ssd.md for the figures behind the choice.
//
// A die with work picks reads first (reads of the same page and block number on different planes
// go together as one multi-plane read: also those a caller issues at one instant between
// hold_starts() and release_starts(), as a controller sends one request's page reads), then erases, then queued programs, then asks its Scheduler
// for a program (programs are assembled when a die is ready for one, so data goes to whichever
// die is free). The array owns its per-operation records; callers own what their callbacks
// point at.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "sim/core/slot_pool.hpp"
#include "models/ssd/ssd_config.hpp"
#include "sim/core/callback.hpp"
#include "sim/core/engine.hpp"

namespace blocksim::ssd {

class NandArray {
 public:
  struct ProgramOp {
    std::uint64_t bytes = 0;  // crossing the channel (with the merge reads' data)
    std::uint32_t merge_reads = 0;  // units read first for a read-modify-write: tR each, on this die
    Callback done;
    SimTime program_time = 0;  // tPROG of this program when not the array's (an SLC program)
  };
  // What the array asks of the controller when a die has nothing queued.
  class Scheduler {
   public:
    virtual ~Scheduler() = default;
    // Whether some die might get a program now (cheap; saves asking every idle die).
    virtual bool has_work() const = 0;
    // Fills `op` with a program for `die` and returns true, or returns false.
    virtual bool next_program(std::uint32_t die, ProgramOp* op) = 0;
    // The die has just run out of work.
    virtual void die_idle(std::uint32_t die) = 0;
  };

  NandArray(Engine& engine, const SsdGeometry& geometry, const NandTiming& timing);
  void set_scheduler(Scheduler* scheduler) { scheduler_ = scheduler; }

  // Reads `bytes` from a page (plane, page index in the plane) into the controller. `read_time`:
  // the page's tR when not the array's (an SLC page); a multi-plane read takes its pages' longest.
  void read(std::uint32_t plane, std::uint32_t page_in_plane, std::uint64_t bytes, Callback done,
            SimTime read_time = 0);
  // Reads issued between these two calls are queued at their dies before any of those dies
  // starts, so that an idle die takes them together (one multi-plane read where their pages
  // allow) rather than starting on the first alone. They nest; no time passes in between.
  void hold_starts() { ++holds_; }
  void release_starts();
  // A program outside the data path (a translation page written back), queued at the die.
  void program(std::uint32_t die, std::uint64_t bytes, Callback done);
  void erase(std::uint32_t die, Callback done);
  // The die's array operations (tR, tPROG, tBERS) take 1/speed as long from now on (a die
  // slowing down); its channel transfers do not change.
  void set_die_speed(std::uint32_t die, double speed);
  // Idle dies ask the scheduler for programs again.
  void kick_idle();

  SimTime die_busy(std::uint32_t die) const { return dies_[die].busy_total; }
  SimTime channel_busy(std::uint32_t channel) const { return channels_[channel].busy_total; }
  std::uint64_t page_reads() const { return page_reads_; }
  std::uint64_t multi_plane_reads() const { return multi_plane_reads_; }
  std::uint64_t programs() const { return programs_; }

 private:
  // kAsking: the die is asking the scheduler for a program, which may queue work at this very
  // die (a GC read): that work waits until the die is free.
  enum class Activity : std::uint8_t { kNone, kAsking, kRead, kProgram, kErase };
  struct ReadOp {
    std::uint32_t plane = 0;
    std::uint32_t page = 0;
    std::uint64_t bytes = 0;
    Callback done;
    SimTime read_time = 0;
  };
  struct Die {
    std::deque<std::uint32_t> reads;  // ReadOp indices
    std::deque<Callback> erases;
    std::deque<ProgramOp> programs;
    Activity activity = Activity::kNone;
    std::vector<std::uint32_t> group;  // the reads in progress
    ProgramOp program;
    Callback erase_done;
    SimTime transfer = 0;
    SimTime busy_since = 0;
    SimTime busy_total = 0;
    std::size_t idle_position = kNotIdle;
    bool held = false;  // a read came while starts were held: try to start on release
  };
  struct Channel {
    std::deque<std::uint32_t> waiting;  // dies
    bool busy = false;
    SimTime busy_total = 0;
  };
  static constexpr std::size_t kNotIdle = static_cast<std::size_t>(-1);
  static constexpr std::size_t kReadScanWindow = 32;

  SimTime at_speed(SimTime duration, std::uint32_t die) const;
  void try_start(std::uint32_t die, bool just_idle);
  void start_reads(std::uint32_t die);
  void begin(std::uint32_t die, Activity activity);
  void end(std::uint32_t die);
  void need_channel(std::uint32_t die, std::uint64_t bytes);
  void start_transfer(std::uint32_t channel, std::uint32_t die);
  void transfer_done(std::uint32_t channel, std::uint32_t die);
  void reads_done(std::uint32_t die);
  void set_idle(std::uint32_t die, bool idle);

  Engine& engine_;
  SsdGeometry g_;
  NandTiming t_;
  Scheduler* scheduler_ = nullptr;
  SlotPool<ReadOp> read_ops_;
  std::vector<Die> dies_;
  std::vector<double> die_speed_;  // empty: every die at full speed
  std::vector<Channel> channels_;
  std::vector<std::uint32_t> idle_;
  std::vector<Callback> finished_;  // scratch for reads_done
  std::uint32_t holds_ = 0;
  std::vector<std::uint32_t> held_dies_;
  std::uint64_t page_reads_ = 0;
  std::uint64_t multi_plane_reads_ = 0;
  std::uint64_t programs_ = 0;
};

}  // namespace blocksim::ssd
