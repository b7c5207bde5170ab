// The bytes of a partition table laid out by plan_partitions: for GPT the protective MBR, the
// primary header and entry array with their CRC32s, and the backup array and header at the end
// of the media; for MBR block 0 with up to four primary slots. GUIDs are derived from `seed`
// (the target's name), so the same scenario writes the same bytes. The stack writes these
// through itself at set-up (TableWriter) and then finds the partitions by scanning them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "blocksim/stack.pb.h"
#include "sim/media/partition_layout.hpp"

namespace blocksim {

struct MediaWrite {
  std::uint64_t offset = 0;
  std::vector<std::uint8_t> bytes;  // whole blocks
};

std::vector<MediaWrite> partition_table_image(const PartitionLayout& layout, proto::PartitionTable::Scheme scheme,
                                              std::uint64_t block_size, std::uint64_t capacity, const std::string& seed);

}  // namespace blocksim
