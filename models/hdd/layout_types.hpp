// The small value types a layout answers in: a physical sector, a track, and the range of logical
// blocks whose home is one track.
#pragma once

#include <cstdint>

namespace blocksim::hdd {

struct PhysicalSector {
  std::uint32_t cylinder = 0;
  std::uint32_t head = 0;
  std::uint32_t sector = 0;  // 0 .. sectors_per_track - 1, in rotation order
  bool operator==(const PhysicalSector&) const = default;
};

struct Track {
  std::uint32_t cylinder = 0;
  std::uint32_t head = 0;
  bool operator==(const Track&) const = default;
};

// The logical blocks whose home is one track (inclusive range); empty when the track holds none.
struct TrackBlocks {
  bool empty = true;
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

}  // namespace blocksim::hdd
