// Where the partitions of a scenario's PartitionTable go on a target of a given size: in order,
// each starting on a 1 MiB boundary (as partitioning tools do), inside the area the scheme leaves
// usable (GPT: after the primary entry array and before the backup; MBR: after block 0, at most
// four partitions and 32-bit block numbers). Used by the scenario checks, to name and size
// partitions before the run, and by the set-up writer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "blocksim/stack.pb.h"

namespace blocksim {

struct PlannedPartition {
  std::uint32_t id = 0;  // 1, 2, ...
  std::uint64_t first_lba = 0;
  std::uint64_t blocks = 0;
  std::string type;  // GPT type GUID text, or MBR type text ("0x83")
  std::string label;
};

struct PartitionLayout {
  std::vector<PlannedPartition> partitions;
  std::string error;      // empty when the table fits
  int bad_partition = -1;  // the partition the error is about, or -1 for the table
  std::string bad_field;   // "size" or "type"
};

inline constexpr std::uint64_t kPartitionAlignment = 1 << 20;
inline constexpr std::uint32_t kMbrMaxPartitions = 4;
inline constexpr char kDefaultGptType[] = "48465300-0000-11AA-AA11-00306543ECAC";  // Apple HFS+
inline constexpr char kDefaultMbrType[] = "0x83";

PartitionLayout plan_partitions(const proto::PartitionTable& table, std::uint64_t block_size, std::uint64_t capacity);

// GPT: blocks the 128-entry array takes.
std::uint64_t gpt_table_blocks(std::uint64_t block_size);
// The MBR type byte of "0x83" / "131"; 0 when the text is not a usable type.
std::uint8_t parse_mbr_type(const std::string& text);

}  // namespace blocksim
