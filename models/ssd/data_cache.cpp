#include "models/ssd/data_cache.hpp"

#include <cassert>

namespace blocksim::ssd {

DataCache::DataCache(std::uint64_t capacity_units)
    : capacity_(capacity_units), entries_(capacity_units), index_(capacity_units), nonclean_(1, 0) {
  free_entries_.reserve(capacity_units);
  for (std::uint64_t i = capacity_units; i-- > 0;)
    free_entries_.push_back(static_cast<std::uint32_t>(i));
}

void DataCache::touch(std::uint32_t lpn) {
  const std::uint32_t entry = index_.find(lpn);
  if (entry != UnitIndex::kAbsent && entries_[entry].state == State::kClean) {
    lru_.remove(entries_, entry);
    lru_.push_back(entries_, entry);
  }
}

bool DataCache::reserve(std::uint64_t units) {
  if (units > capacity_)
    return false;
  while (capacity_ - used_ - reserved_ < units && clean_ > 0)
    evict_one();
  if (capacity_ - used_ - reserved_ < units)
    return false;
  reserved_ += units;
  return true;
}

void DataCache::write(std::uint32_t lpn, std::uint64_t covered) {
  assert(reserved_ > 0);
  --reserved_;
  std::uint32_t entry = index_.find(lpn);
  if (entry == UnitIndex::kAbsent) {
    entry = free_entries_.back();
    free_entries_.pop_back();
    ++used_;
    Entry& e = entries_[entry];
    e = Entry{};
    e.lpn = lpn;
    index_.insert(lpn, entry);
  }
  entries_[entry].covered |= covered;
  become_dirty(entry);
}

void DataCache::become_dirty(std::uint32_t entry) {
  Entry& e = entries_[entry];
  switch (e.state) {
    case State::kFree:
    case State::kClean:
      if (e.state == State::kClean) {
        lru_.remove(entries_, entry);
        --clean_;
      }
      e.epoch = epoch_;
      ++nonclean_.back();
      ++dirty_;
      break;
    case State::kProgramming:
      ++dirty_;  // stays in its (older) epoch: a flush waiting for it now waits for this data too
      break;
    case State::kDirty:
      break;
  }
  e.state = State::kDirty;
  e.version = next_version_++;
  if (!e.queued) {
    e.queued = true;
    dirty_order_.push_back(entry);
  }
}

bool DataCache::wait_durable(std::uint32_t lpn, Callback done) {
  const std::uint32_t entry = index_.find(lpn);
  if (entry == UnitIndex::kAbsent || entries_[entry].state == State::kClean)
    return false;
  Entry& e = entries_[entry];
  if (e.waiters == kNone)
    ++waited_entries_;
  const std::uint32_t waiter = waiters_.acquire();
  waiters_[waiter] = Waiter{done, e.waiters};
  e.waiters = waiter;
  return true;
}

bool DataCache::take_dirty(Taken* out) {
  while (!dirty_order_.empty()) {
    const std::uint32_t entry = dirty_order_.front();
    dirty_order_.pop_front();
    Entry& e = entries_[entry];
    e.queued = false;
    if (e.state != State::kDirty)
      continue;
    e.state = State::kProgramming;
    --dirty_;
    *out = Taken{entry, e.lpn, e.version, e.covered != kWholeUnit};
    return true;
  }
  return false;
}

void DataCache::programmed(const Taken& taken) {
  Entry& e = entries_[taken.entry];
  if (e.state != State::kProgramming || e.lpn != taken.lpn || e.version != taken.version)
    return;  // rewritten (dirty again) or dropped since
  leave_nonclean(taken.entry);
  e.state = State::kClean;
  e.covered = kWholeUnit;  // merged with what flash held, if it was partial
  ++clean_;
  lru_.push_back(entries_, taken.entry);
  if (clean_listener_) {
    Callback listener = clean_listener_;
    listener.arg = taken.lpn;
    listener();
  }
  run_ready();
}

void DataCache::leave_nonclean(std::uint32_t entry) {
  Entry& e = entries_[entry];
  --nonclean_[e.epoch - oldest_epoch_];
  release_waiters(entry);
  while (oldest_epoch_ < epoch_ && nonclean_.front() == 0) {
    nonclean_.pop_front();
    ++oldest_epoch_;
  }
  while (!flushes_.empty() && flushes_.front().epoch < oldest_epoch_) {
    ready_.push_back(flushes_.front().done);
    flushes_.pop_front();
  }
}

void DataCache::release_waiters(std::uint32_t entry) {
  Entry& e = entries_[entry];
  if (e.waiters == kNone)
    return;
  --waited_entries_;
  for (std::uint32_t w = e.waiters; w != kNone;) {
    const Waiter waiter = waiters_[w];
    waiters_.release(w);
    ready_.push_back(waiter.done);
    w = waiter.next;
  }
  e.waiters = kNone;
}

bool DataCache::flush(Callback done) {
  if (used_ == clean_)
    return false;
  flushes_.push_back(PendingFlush{epoch_, done});
  ++epoch_;
  nonclean_.push_back(0);
  return true;
}

void DataCache::drop(std::uint32_t lpn) {
  const std::uint32_t entry = index_.find(lpn);
  if (entry == UnitIndex::kAbsent)
    return;
  Entry& e = entries_[entry];
  if (e.state == State::kClean) {
    lru_.remove(entries_, entry);
    --clean_;
  } else {
    if (e.state == State::kDirty)
      --dirty_;
    leave_nonclean(entry);
  }
  e.state = State::kFree;
  e.version = 0;
  index_.erase(lpn);
  free_entries_.push_back(entry);
  --used_;
  run_ready();
}

void DataCache::evict_one() {
  const std::uint32_t entry = lru_.front();
  lru_.remove(entries_, entry);
  --clean_;
  Entry& e = entries_[entry];
  e.state = State::kFree;
  e.version = 0;
  index_.erase(e.lpn);
  free_entries_.push_back(entry);
  --used_;
}

void DataCache::run_ready() {
  if (ready_.empty())
    return;
  std::vector<Callback> ready;
  ready.swap(ready_);
  for (const Callback& done : ready)
    done();
}

std::uint64_t DataCache::memory_bytes() const {
  return entries_.size() * sizeof(Entry) + free_entries_.capacity() * sizeof(std::uint32_t) + index_.memory_bytes() +
         dirty_order_.size() * sizeof(std::uint32_t);
}

}  // namespace blocksim::ssd
