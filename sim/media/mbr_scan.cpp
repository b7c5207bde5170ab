// IOFDiskPartitionScheme::scan (driver-api.md §3.4), reading the media's own bytes.
#include <cstdio>

#include "sim/media/little_endian.hpp"
#include "sim/media/partition_scan.hpp"

namespace blocksim {

namespace {
constexpr int kSignatureOffset = 510;
constexpr int kSlots = 446;
constexpr int kSlotSize = 16;

bool is_extended(std::uint8_t type) { return type == 0x05 || type == 0x0F || type == 0x85; }

std::string type_hint(std::uint8_t type) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", type);
  return text;
}
}  // namespace

void MbrScan::scan() { read_table(0); }

void MbrScan::read_table(std::uint64_t block) {
  read(block * block_size(), block_size(), [this, block] { parse_table(block); });
}

void MbrScan::parse_table(std::uint64_t block) {
  const std::uint8_t* map = buffer();
  if (le::u16(map + kSignatureOffset) != 0xAA55)
    return fail();
  const std::uint64_t bs = block_size();
  const std::uint64_t media_size = media().getSize();
  std::uint64_t next = 0;
  for (int index = 0; index < 4; ++index) {
    const std::uint8_t* slot = map + kSlots + kSlotSize * index;
    const std::uint8_t boot = slot[0];
    const std::uint8_t type = slot[4];
    const std::uint32_t relsect = le::u32(slot + 8);
    const std::uint32_t numsect = le::u32(slot + 12);
    if (is_extended(type)) {
      // Only the first extended partition of a table is followed.
      if (next == 0) {
        next = extended_base_ + relsect;
        if (next * bs >= media_size)
          next = 0;  // beyond the media
      }
      continue;
    }
    if (type == 0 || numsect == 0)
      continue;  // unused
    id_ = block == 0 ? static_cast<std::uint32_t>(index + 1) : id_ + 1;
    if (boot != 0x00 && boot != 0x80)
      return fail();  // corrupt: the whole table is refused
    const std::uint64_t base = (relsect + block) * bs;
    // Starting at its own table block, or at or past the end of the media: skipped.
    if (relsect == 0 || base >= media_size)
      continue;
    PartitionInfo p;
    p.id = id_;
    p.base = base;
    p.size = std::min<std::uint64_t>(std::uint64_t{numsect} * bs, media_size - base);  // cut at the end
    p.label = "Untitled " + std::to_string(id_);
    p.content_hint = type_hint(type);
    found_.push_back(p);
  }
  if (block == 0) {
    id_ = 4;  // logical partitions count from 5
    extended_base_ = next;
  }
  if (next == 0 || ++tables_ >= kMaxTables)
    return succeed(found_);
  read_table(next);
}

}  // namespace blocksim
