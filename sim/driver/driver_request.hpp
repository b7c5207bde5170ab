// One request inside IOBlockStorageDriver (IOKit's Context): what the client asked, how it is
// deblocked, and the transfer now going through break-up. Kept in a pool sized by the requests
// in flight.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/intrusive_list.hpp"
#include "sim/device/completion_record.hpp"
#include "sim/device/storage_types.hpp"

namespace blocksim {

// How a byte request that is not block aligned becomes whole-block transfers (§4.2).
struct DeblockPlan {
  std::uint64_t start = 0;        // first byte of the rounded-out block range
  std::uint64_t length = 0;       // bytes of the rounded-out range
  std::uint64_t head_excess = 0;  // bytes of the first block before the request
  bool read_head = false;         // a write's stage A: read the first, partial block
  bool read_tail = false;         // a write's stage B: read the last, partial block (not the same block)
  bool aligned = true;            // start and length both whole blocks: no deblocking

  static DeblockPlan make(std::uint64_t byteStart, std::uint64_t length, std::uint64_t block_size) {
    DeblockPlan p;
    p.aligned = byteStart % block_size == 0 && length % block_size == 0;
    p.start = byteStart / block_size * block_size;
    const std::uint64_t end = (byteStart + length + block_size - 1) / block_size * block_size;
    p.length = end - p.start;
    p.head_excess = byteStart - p.start;
    const std::uint64_t tail_excess = end - (byteStart + length);
    p.read_head = p.head_excess != 0;
    p.read_tail = tail_excess != 0 && !(p.read_head && p.length == block_size);
    return p;
  }
};

enum class DriverStage : std::uint8_t {
  kDirect,       // aligned: the client's buffer goes to break-up as it is
  kDeblockRead,  // an unaligned read of the rounded-out range
  kHeadRead,     // read-modify-write stage A
  kTailRead,     // read-modify-write stage B
  kWriteBack,    // read-modify-write stage C
  kCommand,      // flush, unmap, format: one device call
  kEjectFlush,   // ejectMedia: the flush before the eject
  kEject,
};

struct DriverRequest {
  Op op = Op::kRead;
  DriverStage stage = DriverStage::kDirect;
  std::uint64_t byte_start = 0;
  IOMemoryDescriptor* buffer = nullptr;  // the client's
  IOStorageAttributes attributes;
  IOStorageCompletion completion;
  SimTime submit = 0;
  SimTime dispatch = 0;  // the first device call
  bool dispatched = false;
  bool holds_rmw_lock = false;
  std::uint32_t queue_depth = 0;
  std::uint32_t slot = 0;
  std::uint32_t flags = 0;
  std::uint64_t lba = 0;  // for the record of a command
  std::uint64_t blocks = 0;

  DeblockPlan plan;
  std::vector<std::uint8_t> scratch;  // the rounded-out range, when the run carries data
  IOMemoryDescriptor stage_buffer;

  // The transfer going through break-up: the client's buffer or a deblock stage's.
  std::uint64_t transfer_start = 0;
  IOMemoryDescriptor* transfer = nullptr;
  std::uint64_t transfer_done = 0;
  std::uint64_t break_size = 0;
  std::uint64_t piece_length = 0;
  IOMemoryDescriptor piece;

  std::vector<IOBlockStorageDeviceExtent> extents;  // unmap

  // The device call in flight (executeRequest's), for the timeout and retries.
  std::uint64_t exec_start = 0;
  IOMemoryDescriptor* exec_buffer = nullptr;
  IOMemoryDescriptor retry_buffer;  // a retry: the same transfer under a request id of its own
  std::uint32_t attempts = 0;       // retries so far of the current device call
  bool timed_out = false;           // aborted at the device by the timeout
  bool watched = false;             // on the watchdog's list
  SimTime deadline = 0;
  IntrusiveLinks watch;             // on the watchdog's list while watched
};

}  // namespace blocksim
