// IOGUIDPartitionScheme::scan (driver-api.md §3.3), reading the media's own bytes.
#include <cstring>
#include <vector>

#include "sim/media/crc32.hpp"
#include "sim/media/gpt_format.hpp"
#include "sim/media/little_endian.hpp"
#include "sim/media/partition_scan.hpp"

namespace blocksim {

namespace {
constexpr int kMbrSignatureOffset = 510;
constexpr int kMbrSlots = 446;
constexpr int kMbrSlotSize = 16;
constexpr int kMbrSlotType = 4;
}  // namespace

void GptScan::scan() {
  read(0, block_size(), [this] { check_protective_mbr(); });
}

// LBA 0: the MBR signature, and exactly one protective (0xEE) slot; other slots may be used.
void GptScan::check_protective_mbr() {
  const std::uint8_t* mbr = buffer();
  if (le::u16(mbr + kMbrSignatureOffset) != 0xAA55)
    return fail();
  int protective = 0;
  for (int i = 0; i < 4; ++i)
    protective += mbr[kMbrSlots + kMbrSlotSize * i + kMbrSlotType] == gpt::kProtectiveType;
  if (protective != 1)
    return fail();
  read(block_size(), block_size(), [this] { check_header(); });
}

// LBA 1: signature, header size, the header's CRC32 with its own field zeroed, entry geometry.
void GptScan::check_header() {
  std::uint8_t* header = buffer();
  if (std::memcmp(header, gpt::kSignature, sizeof gpt::kSignature) != 0)
    return fail();
  const std::uint32_t size = le::u32(header + gpt::kHdrSize);
  if (size < gpt::kHeaderSize || size > block_size())
    return fail();
  const std::uint32_t crc = le::u32(header + gpt::kHdrCrcSelf);
  le::put32(header + gpt::kHdrCrcSelf, 0);
  if (crc32(header, size) != crc)
    return fail();
  entries_ = le::u32(header + gpt::kHdrEntries);
  entry_size_ = le::u32(header + gpt::kHdrEntrySize);
  table_crc_ = le::u32(header + gpt::kHdrCrcTable);
  if (entry_size_ < gpt::kEntrySize || entry_size_ > 65535 || entries_ > 65535)
    return fail();
  const std::uint64_t bytes = std::uint64_t{entries_} * entry_size_;
  const std::uint64_t rounded = (bytes + block_size() - 1) / block_size() * block_size();
  if (rounded == 0)
    return check_entries();
  read(le::u64(header + gpt::kHdrLbaTable) * block_size(), rounded, [this] { check_entries(); });
}

void GptScan::check_entries() {
  const std::uint64_t bytes = std::uint64_t{entries_} * entry_size_;
  if (crc32(buffer(), bytes) != table_crc_)
    return fail();
  std::vector<PartitionInfo> partitions;
  const std::uint64_t bs = block_size();
  for (std::uint32_t i = 1; i <= entries_; ++i) {
    const std::uint8_t* entry = buffer() + std::uint64_t{i - 1} * entry_size_;
    if (gpt::is_zero(entry + gpt::kEntType))
      continue;
    const std::uint64_t first = le::u64(entry + gpt::kEntLbaStart);
    const std::uint64_t last = le::u64(entry + gpt::kEntLbaEnd);
    // One block long: a placeholder, skipped. [sim] Ending before it starts: skipped too (IOKit
    // does not check it).
    if (first == last || last < first)
      continue;
    PartitionInfo p;
    p.id = i;
    p.base = first * bs;
    p.size = (last - first + 1) * bs;
    // Past the end of the media: skipped (MBR and APM cut such a partition instead).
    if (p.base + p.size > media().getSize() || p.base + p.size < p.base)
      continue;
    p.label = gpt::name_from_utf16le(entry + gpt::kEntName, gpt::kEntNameChars);
    if (p.label.empty())
      p.label = "Untitled " + std::to_string(i);
    p.content_hint = gpt::format_guid(entry + gpt::kEntType);
    partitions.push_back(p);
  }
  succeed(partitions);
}

}  // namespace blocksim
