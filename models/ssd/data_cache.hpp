// The controller's DRAM data cache: whole mapping units, each dirty (written by the host, not yet
// on flash), programming (on its way to flash) or clean (on flash, kept for reads until the space
// is needed, least recently used first). Writes reserve space before their data crosses the host
// link; dirty units leave in arrival order when a die is ready to program them. A unit written
// again while dirty is simply replaced, which is where a write-back cache saves flash writes.
// Each unit knows which 1/64ths of it the host wrote (writes smaller than a unit, or not aligned
// to one, merge here); one still partly written when it leaves for flash is `partial`, and the
// flash writer reads the rest of it from flash first (read-modify-write) if it holds data there.
//
// Durability: a write that must reach flash (FUA, or write cache off) waits on its units; a flush
// waits until every unit that was dirty when it came is clean ("epochs": a flush closes the
// current one). Callbacks run after the cache's own state is consistent, and may call back in.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "sim/core/intrusive_list.hpp"
#include "sim/core/slot_pool.hpp"
#include "models/ssd/unit_index.hpp"
#include "sim/core/callback.hpp"

namespace blocksim::ssd {

class DataCache {
 public:
  // A dirty unit handed to the flash writer; `version` tells whether it was rewritten meanwhile.
  struct Taken {
    std::uint32_t entry = 0;
    std::uint32_t lpn = 0;
    std::uint32_t version = 0;
    bool partial = false;  // the host wrote only part of the unit
  };
  // Coverage masks: bit i is the unit's i-th 1/64th.
  static constexpr std::uint64_t kWholeUnit = ~std::uint64_t{0};

  explicit DataCache(std::uint64_t capacity_units);

  std::uint64_t capacity() const { return capacity_; }
  bool contains(std::uint32_t lpn) const { return index_.find(lpn) != UnitIndex::kAbsent; }
  // Whether it holds every part of `lpn` in the coverage mask `parts` (a read it can serve).
  bool holds(std::uint32_t lpn, std::uint64_t parts) const {
    const std::uint32_t entry = index_.find(lpn);
    return entry != UnitIndex::kAbsent && (entries_[entry].covered & parts) == parts;
  }
  // A read found `lpn` here: it becomes the most recently used.
  void touch(std::uint32_t lpn);

  // Sets aside room for `units` new units, evicting clean ones; false when it cannot yet.
  bool reserve(std::uint64_t units);
  // A unit's data arrived from the host (uses up one reserved unit); `covered` says which parts
  // of it the write carried.
  void write(std::uint32_t lpn, std::uint64_t covered = kWholeUnit);
  // Runs `done` once `lpn` is on flash (or dropped); false, and nothing registered, if it is.
  bool wait_durable(std::uint32_t lpn, Callback done);

  std::uint64_t dirty() const { return dirty_; }
  // The oldest dirty unit, now programming.
  bool take_dirty(Taken* out);
  // The program of a taken unit finished.
  void programmed(const Taken& taken);
  // Runs `listener` (its arg set to the unit) each time a unit's newest data is on flash.
  void set_clean_listener(Callback listener) { clean_listener_ = listener; }
  // Runs `done` once every unit not yet on flash now is; false, and nothing registered, if none.
  bool flush(Callback done);
  // Something waits for flash: programs should not wait for full units.
  bool urgent() const { return !flushes_.empty() || waited_entries_ > 0; }
  // Forgets `lpn` (TRIM); waiters on it are released.
  void drop(std::uint32_t lpn);

  std::uint64_t memory_bytes() const;

 private:
  enum class State : std::uint8_t { kFree, kDirty, kProgramming, kClean };
  struct Entry {
    std::uint32_t lpn = 0;
    std::uint32_t version = 0;
    std::uint32_t epoch = 0;
    std::uint64_t covered = 0;  // parts holding data: written by the host, or whole once on flash
    std::uint32_t waiters = kNone;
    IntrusiveLinks lru;  // on lru_ while clean
    State state = State::kFree;
    bool queued = false;
  };
  struct Waiter {
    Callback done;
    std::uint32_t next = kNone;
  };
  struct PendingFlush {
    std::uint32_t epoch;
    Callback done;
  };
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  void become_dirty(std::uint32_t entry);
  void leave_nonclean(std::uint32_t entry);  // dirty or programming -> clean or gone
  void release_waiters(std::uint32_t entry);
  void evict_one();
  void run_ready();

  std::uint64_t capacity_;
  std::uint64_t used_ = 0;
  std::uint64_t reserved_ = 0;
  std::uint64_t dirty_ = 0;
  std::uint64_t clean_ = 0;
  std::uint32_t next_version_ = 1;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> free_entries_;
  UnitIndex index_;
  std::deque<std::uint32_t> dirty_order_;
  IntrusiveList<Entry, &Entry::lru> lru_;  // clean units; front: least recently used
  SlotPool<Waiter> waiters_;
  std::uint64_t waited_entries_ = 0;
  std::uint32_t epoch_ = 0;             // the open epoch
  std::uint32_t oldest_epoch_ = 0;      // epochs below it have no unit left off flash
  std::deque<std::uint64_t> nonclean_;  // per epoch from oldest_epoch_
  std::deque<PendingFlush> flushes_;
  std::vector<Callback> ready_;         // callbacks to run once the state is consistent
  Callback clean_listener_;
};

}  // namespace blocksim::ssd
