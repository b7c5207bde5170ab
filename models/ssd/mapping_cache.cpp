#include "models/ssd/mapping_cache.hpp"

namespace blocksim::ssd {

namespace {
// Pages being read may briefly exceed the capacity (every resident page may be loading).
constexpr std::uint64_t kLoadingHeadroom = 65536;
}  // namespace

MappingCache::MappingCache(std::uint64_t capacity_pages)
    : capacity_(capacity_pages), index_(capacity_pages + kLoadingHeadroom) {}

MappingCache::Lookup MappingCache::lookup(std::uint32_t tpn, bool update, Callback done) {
  std::uint32_t page = index_.find(tpn);
  if (page != UnitIndex::kAbsent) {
    Page& p = pages_[page];
    p.dirty = p.dirty || update;
    if (!p.loading) {
      ++hits_;
      lru_.remove(pages_, page);
      lru_.push_back(pages_, page);
      return Lookup::kHit;
    }
    const std::uint32_t waiter = waiters_.acquire();
    waiters_[waiter] = Waiter{done, p.waiters};
    p.waiters = waiter;
    return Lookup::kWait;
  }
  ++misses_;
  make_room();
  if (free_pages_.empty()) {
    pages_.emplace_back();
    free_pages_.push_back(static_cast<std::uint32_t>(pages_.size() - 1));
  }
  page = free_pages_.back();
  free_pages_.pop_back();
  Page& p = pages_[page];
  p = Page{};
  p.tpn = tpn;
  p.loading = true;
  p.dirty = update;
  const std::uint32_t waiter = waiters_.acquire();
  waiters_[waiter] = Waiter{done, kNone};
  p.waiters = waiter;
  index_.insert(tpn, page);
  ++resident_;
  return Lookup::kLoad;
}

void MappingCache::loaded(std::uint32_t tpn) {
  const std::uint32_t page = index_.find(tpn);
  if (page == UnitIndex::kAbsent)
    return;
  Page& p = pages_[page];
  p.loading = false;
  lru_.push_back(pages_, page);
  std::vector<Callback> ready;
  for (std::uint32_t w = p.waiters; w != kNone;) {
    const Waiter waiter = waiters_[w];
    waiters_.release(w);
    ready.push_back(waiter.done);
    w = waiter.next;
  }
  p.waiters = kNone;
  for (const Callback& done : ready)
    done();
}

void MappingCache::make_room() {
  while (resident_ >= capacity_ && !lru_.empty()) {
    const std::uint32_t page = lru_.front();
    lru_.remove(pages_, page);
    if (pages_[page].dirty) {
      writebacks_pending_.push_back(pages_[page].tpn);
      ++writebacks_;
    }
    index_.erase(pages_[page].tpn);
    free_pages_.push_back(page);
    --resident_;
  }
}

bool MappingCache::take_writeback(std::uint32_t* tpn) {
  if (writebacks_pending_.empty())
    return false;
  *tpn = writebacks_pending_.front();
  writebacks_pending_.pop_front();
  return true;
}

}  // namespace blocksim::ssd
