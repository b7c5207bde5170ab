// One host command inside the drive (a read, a write or a flush) and where it stands. The drive's
// parts share these records: the command queue owns them, the others read and update the fields
// of the commands they work on, by index.
#pragma once

#include <cstdint>

#include "models/common/device_request.hpp"
#include "models/hdd/segment_cache.hpp"
#include "sim/device/completion_record.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/device/storage_types.hpp"

namespace blocksim::hdd {

enum class Phase : std::uint8_t {
  kQueued,       // waiting for a tag or for its per-command overhead
  kCommand,      // command processing on the port
  kWaitData,     // disconnected, waiting for data (reads) or its turn and room (writes)
  kReconnecting, // asked for the port again
  kData,         // connected, moving data
  kHoldWait,     // connected, waiting for the media (hold bus)
  kWaitMedia,    // write-through: disconnected until the media has it
  kCompleting,   // sending the completion
};

struct Command : DeviceRequest {
  SimTime overhead_done = 0;
  Phase phase = Phase::kQueued;
  Hit hit = Hit::kMiss;
  int segment = -1;
  std::uint64_t out = 0;          // blocks moved over the interface
  std::uint64_t burst = 0;        // blocks in the burst in progress
  std::uint64_t wake = 0;         // guards timers set for this command
  bool after_read = false;        // the previous completion was a read's
  bool write_back = false;        // completes from the cache
  bool activated = false;         // has had its turn at the arm
  bool reconnected = false;       // reconnected before (picks the reselect overhead)
  bool extra_disconnect = false;  // takes the extra write disconnection first
  std::uint64_t end() const { return lba + blocks; }
};

}  // namespace blocksim::hdd
