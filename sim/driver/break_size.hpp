// How many bytes of a buffer one device call may carry: IOBlockStorageDriver::breakUpRequest's
// walk over the buffer's physical segments (driver-api.md §4.2-4.3):
//   byte cap = min(max byte count, max block count x block size), 0 meaning no limit;
//   a segment longer than the max segment byte count is split there;
//   a segment whose address or length is not a multiple of the minimum alignment is split into
//   one-page pieces;
//   every piece counts as a segment; the walk stops at the max segment count or the byte cap;
//   the result is truncated to whole blocks (0 means the limits make the transfer impossible:
//   the driver completes it with kIOReturnDMAError).
// Segments of a buffer are never physically adjacent here (no IOMMU for IOKit devices), so no
// two merge. The address width limit is not modelled.
#pragma once

#include <cstdint>

#include "sim/device/storage_types.hpp"

namespace blocksim {

struct BreakUpLimits {
  std::uint64_t max_block_count = 0;  // 0: no limit
  std::uint64_t max_byte_count = 0;
  std::uint64_t max_segment_count = 0;
  std::uint64_t max_segment_byte_count = 0;
  std::uint64_t min_segment_alignment = 4;
};

inline constexpr std::uint64_t kPageBytes = 4096;

std::uint64_t break_size(const IOMemoryDescriptor& buffer, const BreakUpLimits& limits, std::uint64_t block_size);

}  // namespace blocksim
