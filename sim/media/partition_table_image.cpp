#include "sim/media/partition_table_image.hpp"

#include "sim/media/crc32.hpp"
#include "sim/media/gpt_format.hpp"
#include "sim/media/little_endian.hpp"

namespace blocksim {

namespace {

constexpr int kMbrSlots = 446;
constexpr int kMbrSlotSize = 16;

// A version-4 style GUID from a name: FNV-1a over it, stretched to 16 bytes.
gpt::Guid guid_from(const std::string& name) {
  gpt::Guid g{};
  std::uint64_t h = 1469598103934665603ULL;
  for (int round = 0; round < 2; ++round) {
    for (char c : name + static_cast<char>('0' + round)) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    le::put64(g.data() + 8 * round, h);
  }
  g[7] = static_cast<std::uint8_t>((g[7] & 0x0F) | 0x40);
  g[8] = static_cast<std::uint8_t>((g[8] & 0x3F) | 0x80);
  return g;
}

void mbr_slot(std::uint8_t* block, int index, std::uint8_t type, std::uint64_t first, std::uint64_t count) {
  std::uint8_t* slot = block + kMbrSlots + kMbrSlotSize * index;
  slot[0] = 0x00;  // not bootable
  slot[1] = 0xFE, slot[2] = 0xFF, slot[3] = 0xFF;  // CHS: beyond what CHS can say; LBA is what counts
  slot[4] = type;
  slot[5] = 0xFE, slot[6] = 0xFF, slot[7] = 0xFF;
  le::put32(slot + 8, static_cast<std::uint32_t>(first));
  le::put32(slot + 12, static_cast<std::uint32_t>(std::min<std::uint64_t>(count, 0xFFFFFFFF)));
}

std::vector<std::uint8_t> mbr_block(std::uint64_t block_size) {
  std::vector<std::uint8_t> block(block_size, 0);
  block[510] = 0x55;
  block[511] = 0xAA;
  return block;
}

std::vector<std::uint8_t> gpt_header(std::uint64_t block_size, std::uint64_t self, std::uint64_t alt,
                                     std::uint64_t blocks, std::uint64_t table_lba, const gpt::Guid& disk,
                                     std::uint32_t table_crc) {
  const std::uint64_t table_blocks = gpt_table_blocks(block_size);
  std::vector<std::uint8_t> h(block_size, 0);
  std::copy(std::begin(gpt::kSignature), std::end(gpt::kSignature), h.begin());
  le::put32(&h[gpt::kHdrRevision], gpt::kRevision);
  le::put32(&h[gpt::kHdrSize], gpt::kHeaderSize);
  le::put64(&h[gpt::kHdrLbaSelf], self);
  le::put64(&h[gpt::kHdrLbaAlt], alt);
  le::put64(&h[gpt::kHdrLbaStart], 2 + table_blocks);
  le::put64(&h[gpt::kHdrLbaEnd], blocks - 2 - table_blocks);
  std::copy(disk.begin(), disk.end(), h.begin() + gpt::kHdrUuid);
  le::put64(&h[gpt::kHdrLbaTable], table_lba);
  le::put32(&h[gpt::kHdrEntries], gpt::kEntryCount);
  le::put32(&h[gpt::kHdrEntrySize], gpt::kEntrySize);
  le::put32(&h[gpt::kHdrCrcTable], table_crc);
  le::put32(&h[gpt::kHdrCrcSelf], crc32(h.data(), gpt::kHeaderSize));
  return h;
}

std::vector<MediaWrite> gpt_image(const PartitionLayout& layout, std::uint64_t bs, std::uint64_t blocks,
                                  const std::string& seed) {
  const std::uint64_t table_blocks = gpt_table_blocks(bs);
  std::vector<std::uint8_t> entries(table_blocks * bs, 0);
  for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
    const PlannedPartition& p = layout.partitions[i];
    std::uint8_t* e = entries.data() + i * gpt::kEntrySize;
    const gpt::Guid type = *gpt::parse_guid(p.type);
    const gpt::Guid id = guid_from(seed + "/" + std::to_string(p.id));
    std::copy(type.begin(), type.end(), e + gpt::kEntType);
    std::copy(id.begin(), id.end(), e + gpt::kEntUuid);
    le::put64(e + gpt::kEntLbaStart, p.first_lba);
    le::put64(e + gpt::kEntLbaEnd, p.first_lba + p.blocks - 1);
    gpt::name_to_utf16le(p.label, e + gpt::kEntName, gpt::kEntNameChars);
  }
  const std::uint32_t table_crc = crc32(entries.data(), std::size_t{gpt::kEntryCount} * gpt::kEntrySize);
  const gpt::Guid disk = guid_from(seed);

  std::vector<MediaWrite> writes;
  auto mbr = mbr_block(bs);
  mbr_slot(mbr.data(), 0, gpt::kProtectiveType, 1, blocks - 1);
  writes.push_back({0, std::move(mbr)});
  writes.push_back({bs, gpt_header(bs, 1, blocks - 1, blocks, 2, disk, table_crc)});
  writes.push_back({2 * bs, entries});
  writes.push_back({(blocks - 1 - table_blocks) * bs, entries});
  writes.push_back({(blocks - 1) * bs, gpt_header(bs, blocks - 1, 1, blocks, blocks - 1 - table_blocks, disk, table_crc)});
  return writes;
}

}  // namespace

std::vector<MediaWrite> partition_table_image(const PartitionLayout& layout, proto::PartitionTable::Scheme scheme,
                                              std::uint64_t block_size, std::uint64_t capacity,
                                              const std::string& seed) {
  const std::uint64_t blocks = capacity / block_size;
  if (scheme == proto::PartitionTable::GPT)
    return gpt_image(layout, block_size, blocks, seed);
  auto mbr = mbr_block(block_size);
  for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
    const PlannedPartition& p = layout.partitions[i];
    mbr_slot(mbr.data(), static_cast<int>(i), parse_mbr_type(p.type), p.first_lba, p.blocks);
  }
  return {MediaWrite{0, std::move(mbr)}};
}

}  // namespace blocksim
