// A partition-table scan: it opens a whole media object for reading (as its own client), reads
// the blocks it needs through the stack (so the reads take simulated time and appear in the
// trace), closes the media and reports the partitions found, or that the media holds no table
// of its kind. GptScan and MbrScan derive from it. The caller owns the scan and keeps it alive
// until `done` has run; `done` may run inside start() when the media cannot be opened.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/media/io_media.hpp"
#include "sim/media/partition_info.hpp"
#include "sim/media/stack_context.hpp"

namespace blocksim {

class PartitionScan : public IOService {
 public:
  using Done = std::function<void(bool found, const std::vector<PartitionInfo>& partitions)>;

  PartitionScan(const StackContext& context, IOMedia& media) : context_(context), media_(media) {}

  void start(Done done);
  virtual const char* scheme_name() const = 0;

 protected:
  // Starts the scan proper; the media is open. It ends with succeed() or fail().
  virtual void scan() = 0;
  // Reads `length` bytes at `offset` into buffer(), then calls `then`; a failed or short read
  // fails the scan.
  void read(std::uint64_t offset, std::uint64_t length, std::function<void()> then);
  void succeed(const std::vector<PartitionInfo>& partitions);
  void fail();
  std::uint8_t* buffer() { return bytes_.data(); }
  IOMedia& media() const { return media_; }
  std::uint64_t block_size() const { return media_.getPreferredBlockSize(); }

 private:
  static void read_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes);
  void end(bool found, const std::vector<PartitionInfo>& partitions);

  StackContext context_;
  IOMedia& media_;
  Done done_;
  std::vector<std::uint8_t> bytes_;
  IOMemoryDescriptor descriptor_;
  std::function<void()> then_;
  bool open_ = false;
};

// IOGUIDPartitionScheme's scan (§3.3): protective MBR with exactly one 0xEE slot, the header at
// LBA 1 with its CRC32, sane entry size and count, the entry array's CRC32; entries with a zero
// type, one block long, ending before they start, or running past the media are skipped. The
// backup header is never read.
class GptScan final : public PartitionScan {
 public:
  using PartitionScan::PartitionScan;
  const char* scheme_name() const override { return "GPT"; }

 private:
  void scan() override;
  void check_protective_mbr();
  void check_header();
  void check_entries();

  std::uint32_t entries_ = 0;
  std::uint32_t entry_size_ = 0;
  std::uint32_t table_crc_ = 0;
};

// IOFDiskPartitionScheme's scan (§3.4): signature 0xAA55, four slots, extended partitions
// (0x05, 0x0F, 0x85) chained through EBRs with ids from 5; a boot flag other than 0x00 / 0x80
// makes the table corrupt; a partition starting at its own table block or at or past the end of
// the media is skipped, one running past the end is cut to it.
class MbrScan final : public PartitionScan {
 public:
  using PartitionScan::PartitionScan;
  const char* scheme_name() const override { return "MBR"; }

 private:
  // [sim] An EBR chain longer than this ends the walk (IOKit has no guard against a loop).
  static constexpr int kMaxTables = 128;
  void scan() override;
  void read_table(std::uint64_t block);
  void parse_table(std::uint64_t block);

  std::uint64_t extended_base_ = 0;
  std::uint32_t id_ = 0;
  int tables_ = 0;
  std::vector<PartitionInfo> found_;
};

}  // namespace blocksim
