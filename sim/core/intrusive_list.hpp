// A doubly-linked list threaded through records that live elsewhere: an LRU order of cache
// entries, the driver's device calls in the order of their deadlines. The caller owns the records
// (a vector, a SlotPool: anything indexed by a 32-bit index) and each record carries the
// IntrusiveLinks of the list; the list owns only its two ends. Records are named by index, not
// by pointer, so the storage may grow and move without breaking the links. Removing a record
// from the middle is O(1), which is why a std::list or a deque of indices would not do.
#pragma once

#include <cstdint>

namespace blocksim {

// The part of a record the list uses; kNone in both while the record is off the list.
struct IntrusiveLinks {
  static constexpr std::uint32_t kNone = UINT32_MAX;
  std::uint32_t prev = kNone;
  std::uint32_t next = kNone;
};

// `Links` is the record's member that threads this list (a record may be on several lists).
template <class Record, IntrusiveLinks Record::*Links>
class IntrusiveList {
 public:
  static constexpr std::uint32_t kNone = IntrusiveLinks::kNone;

  bool empty() const { return head_ == kNone; }
  // The record pushed first and not yet removed; kNone when empty.
  std::uint32_t front() const { return head_; }

  template <class Records>
  void push_back(Records& records, std::uint32_t index) {
    IntrusiveLinks& links = records[index].*Links;
    links.prev = tail_;
    links.next = kNone;
    if (tail_ != kNone)
      (records[tail_].*Links).next = index;
    else
      head_ = index;
    tail_ = index;
  }

  // `index` must be on this list.
  template <class Records>
  void remove(Records& records, std::uint32_t index) {
    IntrusiveLinks& links = records[index].*Links;
    if (links.prev != kNone)
      (records[links.prev].*Links).next = links.next;
    else
      head_ = links.next;
    if (links.next != kNone)
      (records[links.next].*Links).prev = links.prev;
    else
      tail_ = links.prev;
    links = IntrusiveLinks{};
  }

 private:
  std::uint32_t head_ = kNone;
  std::uint32_t tail_ = kNone;
};

}  // namespace blocksim
