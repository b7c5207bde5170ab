#include "sim/media/partition_layout.hpp"

#include "sim/core/units.hpp"
#include "sim/media/gpt_format.hpp"

namespace blocksim {

std::uint64_t gpt_table_blocks(std::uint64_t block_size) {
  return (std::uint64_t{gpt::kEntryCount} * gpt::kEntrySize + block_size - 1) / block_size;
}

std::uint8_t parse_mbr_type(const std::string& text) {
  try {
    std::size_t used = 0;
    const unsigned long value = std::stoul(text, &used, 0);
    const bool extended = value == 0x05 || value == 0x0F || value == 0x85;
    if (used != text.size() || value == 0 || value > 0xFF || extended)
      return 0;
    return static_cast<std::uint8_t>(value);
  } catch (const std::exception&) {
    return 0;
  }
}

PartitionLayout plan_partitions(const proto::PartitionTable& table, std::uint64_t block_size, std::uint64_t capacity) {
  PartitionLayout layout;
  const std::uint64_t blocks = capacity / block_size;
  const bool gpt = table.scheme() == proto::PartitionTable::GPT;
  const std::uint64_t table_blocks = gpt_table_blocks(block_size);
  const std::uint64_t first_usable = gpt ? 2 + table_blocks : 1;
  const std::uint64_t end_usable = gpt ? (blocks > 1 + table_blocks ? blocks - 1 - table_blocks : 0) : blocks;
  const std::uint64_t align = std::max<std::uint64_t>(kPartitionAlignment / block_size, 1);
  auto fail = [&layout](int index, const char* field, std::string what) {
    layout.error = std::move(what);
    layout.bad_partition = index;
    layout.bad_field = field;
    return layout;
  };
  if (!gpt && table.partition_size() > static_cast<int>(kMbrMaxPartitions))
    return fail(static_cast<int>(kMbrMaxPartitions), "", "an MBR holds at most 4 partitions");
  std::uint64_t next = first_usable;
  for (int i = 0; i < table.partition_size(); ++i) {
    const proto::Partition& p = table.partition(i);
    PlannedPartition planned;
    planned.id = static_cast<std::uint32_t>(i + 1);
    planned.type = p.has_type() ? p.type() : (gpt ? kDefaultGptType : kDefaultMbrType);
    planned.label = p.label();
    if (gpt ? !gpt::parse_guid(planned.type).has_value() : parse_mbr_type(planned.type) == 0)
      return fail(i, "type", gpt ? "is not a GUID such as \"" + std::string(kDefaultGptType) + "\""
                                 : "is not an MBR type byte such as \"0x83\" (extended types are not allowed)");
    const std::uint64_t bytes = units::bytes(p.size());
    if (bytes % block_size != 0)
      return fail(i, "size", "is not a whole number of blocks of " + std::to_string(block_size) + " bytes");
    if (bytes == 0 && i + 1 != table.partition_size())
      return fail(i, "size", "only the last partition may take what is left (size 0)");
    planned.first_lba = (next + align - 1) / align * align;
    const std::uint64_t left = end_usable > planned.first_lba ? end_usable - planned.first_lba : 0;
    planned.blocks = bytes == 0 ? left : bytes / block_size;
    if (planned.blocks == 0 || planned.blocks > left)
      return fail(i, "size", "does not fit: " + std::to_string(left * block_size) + " bytes are left after 1 MiB alignment");
    if (gpt && planned.blocks < 2)
      return fail(i, "size", "a one-block GPT partition is a placeholder that scans skip");
    if (!gpt && (planned.first_lba + planned.blocks) > 0xFFFFFFFFull)
      return fail(i, "size", "lies beyond what an MBR can address (2^32 blocks)");
    next = planned.first_lba + planned.blocks;
    layout.partitions.push_back(planned);
  }
  return layout;
}

}  // namespace blocksim
