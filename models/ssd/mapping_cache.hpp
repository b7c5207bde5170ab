// The cached mapping table of a demand-paged FTL (in the manner of DFTL, Gupta, Kim and
// Urgaonkar, ASPLOS 2009): the mapping lives on flash in translation pages of
// `entries_per_page` entries, and DRAM holds the `capacity` most recently used ones. A request
// whose translation page is missing waits for a flash read of it; evicting a page the FTL changed
// costs a flash program. This class keeps the pages and their waiters; the device issues the
// flash operations it asks for.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "sim/core/intrusive_list.hpp"
#include "sim/core/slot_pool.hpp"
#include "models/ssd/unit_index.hpp"
#include "sim/core/callback.hpp"

namespace blocksim::ssd {

class MappingCache {
 public:
  enum class Lookup { kHit, kLoad, kWait };

  explicit MappingCache(std::uint64_t capacity_pages);

  // A request needs translation page `tpn` (and changes it when `update`). kHit: go on. kLoad:
  // the caller reads it from flash, then calls loaded(). kWait: a read of it is on its way. In
  // both of the last cases `done` runs once the page is in.
  Lookup lookup(std::uint32_t tpn, bool update, Callback done);
  void loaded(std::uint32_t tpn);
  // A changed page evicted to make room, to be programmed.
  bool take_writeback(std::uint32_t* tpn);

  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }
  std::uint64_t writebacks() const { return writebacks_; }

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  struct Page {
    std::uint32_t tpn = 0;
    std::uint32_t waiters = kNone;
    IntrusiveLinks lru;  // on lru_ once loaded
    bool loading = false;
    bool dirty = false;
  };
  struct Waiter {
    Callback done;
    std::uint32_t next = kNone;
  };

  void make_room();

  std::uint64_t capacity_;
  std::vector<Page> pages_;
  std::vector<std::uint32_t> free_pages_;
  UnitIndex index_;
  IntrusiveList<Page, &Page::lru> lru_;  // loaded pages only; front: least recent
  std::uint64_t resident_ = 0;                          // loaded or loading
  SlotPool<Waiter> waiters_;
  std::deque<std::uint32_t> writebacks_pending_;
  std::uint64_t hits_ = 0, misses_ = 0, writebacks_ = 0;
};

}  // namespace blocksim::ssd
