// GPT and MBR scans against driver-api.md §3.3-3.4, on tables this test builds byte by byte with
// its own CRC-32 (bitwise, not the stack's table-driven one) and puts straight onto the device's
// media, as a disk image would be; and on tables written through the stack, which a writer's
// close makes the stack find.
#include <gtest/gtest.h>

#include <cstring>

#include "models/common/device_base.hpp"
#include "sim/media/crc32.hpp"
#include "sim/media/table_writer.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

using testing::StackHarness;

constexpr std::uint64_t kBlock = 512;
constexpr std::uint64_t kBlocks = 8192;  // 4 MiB

// CRC-32/ISO-HDLC computed bit by bit.
std::uint32_t test_crc32(const std::uint8_t* data, std::size_t n) {
  std::uint32_t crc = 0xFFFFFFFF;
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k)
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

void put(std::vector<std::uint8_t>& b, std::size_t at, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i)
    b[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

struct Entry {
  std::uint8_t type_first_byte;  // a type GUID whose first byte is this, the rest fixed; 0: unused
  std::uint64_t first, last;
  std::string name;
};

// A GPT image: protective MBR, header at LBA 1, 128 entries of 128 bytes at LBA 2.
struct GptImage {
  std::vector<std::uint8_t> mbr = std::vector<std::uint8_t>(kBlock, 0);
  std::vector<std::uint8_t> header = std::vector<std::uint8_t>(kBlock, 0);
  std::vector<std::uint8_t> entries = std::vector<std::uint8_t>(128 * 128, 0);
  std::uint32_t header_size = 92;
  std::uint32_t entry_size = 128;

  explicit GptImage(const std::vector<Entry>& list) {
    mbr[446 + 4] = 0xEE;
    put(mbr, 446 + 8, 1, 4);
    put(mbr, 446 + 12, kBlocks - 1, 4);
    mbr[510] = 0x55;
    mbr[511] = 0xAA;
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::uint8_t* e = entries.data() + 128 * i;
      if (list[i].type_first_byte) {
        e[0] = list[i].type_first_byte;
        for (int k = 1; k < 16; ++k)
          e[k] = static_cast<std::uint8_t>(0x10 + k);
      }
      e[16] = static_cast<std::uint8_t>(i + 1);  // the entry's own GUID
      for (int k = 0; k < 8; ++k) {
        e[32 + k] = static_cast<std::uint8_t>(list[i].first >> (8 * k));
        e[40 + k] = static_cast<std::uint8_t>(list[i].last >> (8 * k));
      }
      for (std::size_t c = 0; c < list[i].name.size(); ++c)
        e[56 + 2 * c] = static_cast<std::uint8_t>(list[i].name[c]);
    }
    seal();
  }
  // Fills the header and both CRCs.
  void seal() {
    std::memcpy(header.data(), "EFI PART", 8);
    put(header, 8, 0x00010000, 4);
    put(header, 12, header_size, 4);
    put(header, 16, 0, 4);
    put(header, 24, 1, 8);
    put(header, 32, kBlocks - 1, 8);
    put(header, 40, 34, 8);
    put(header, 48, kBlocks - 34, 8);
    put(header, 72, 2, 8);
    put(header, 80, 128, 4);
    put(header, 84, entry_size, 4);
    put(header, 88, test_crc32(entries.data(), 128 * 128), 4);
    put(header, 16, test_crc32(header.data(), std::min<std::size_t>(header_size, header.size())), 4);
  }
};

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    device_ = h_.make_device(R"(capacity: "4MiB" block_size: "512" carry_data: true
                                reference { service { fixed: "20us" } })");
    data_ = static_cast<DeviceBase*>(&fault_injector(*device_)->model())->data();
  }
  void put_blocks(std::uint64_t lba, const std::vector<std::uint8_t>& bytes) {
    data_->write(lba, bytes.size() / kBlock, bytes.data(), Durability::kDurable);
  }
  void put_gpt(const GptImage& image) {
    put_blocks(0, image.mbr);
    put_blocks(1, image.header);
    put_blocks(2, image.entries);
  }
  // Starts the driver with probing on, and runs the probe.
  IOPartitionScheme* probe() {
    h_.enable_probing();
    driver_ = h_.make_driver(*device_);
    h_.engine.run();
    return h_.registry.scheme_on(driver_->media());
  }
  StackHarness h_;
  std::unique_ptr<IOBlockStorageDevice> device_;
  DeviceData* data_ = nullptr;
  std::unique_ptr<IOBlockStorageDriver> driver_;
};

TEST(Crc32, BothImplementationsGiveTheStandardCheckValue) {
  const std::uint8_t text[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  EXPECT_EQ(test_crc32(text, 9), 0xCBF43926u);
  EXPECT_EQ(crc32(text, 9), 0xCBF43926u);
}

TEST_F(ScanTest, AGptWrittenByTheTestIsFound) {
  put_gpt(GptImage({{0xAF, 2048, 4095, "alpha"}, {0, 4096, 5000, "unused"}, {0xAF, 4096, 8000, ""}}));
  IOPartitionScheme* scheme = probe();
  ASSERT_NE(scheme, nullptr);
  EXPECT_EQ(scheme->scheme_name(), "GPT");
  const auto& parts = scheme->partition_info();
  ASSERT_EQ(parts.size(), 2u);  // the zero-type entry is skipped
  EXPECT_EQ(parts[0].id, 1u);
  EXPECT_EQ(parts[0].base, 2048 * kBlock);
  EXPECT_EQ(parts[0].size, 2048 * kBlock);  // inclusive range
  EXPECT_EQ(parts[0].label, "alpha");
  EXPECT_EQ(parts[0].content_hint.substr(0, 8), "131211AF");  // mixed-endian GUID text
  EXPECT_EQ(parts[1].id, 3u);
  EXPECT_EQ(parts[1].label, "Untitled 3");
  EXPECT_NE(h_.registry.find("disk0s1"), nullptr);
  EXPECT_NE(h_.registry.find("disk0s3"), nullptr);
  EXPECT_EQ(h_.registry.find("disk0s2"), nullptr);
  // The scan read the media through the stack: LBA 0, LBA 1, then the 32-block array.
  std::vector<std::uint64_t> reads;
  for (const auto& r : h_.sink.records)
    if (r.layer == Layer::kDevice)
      reads.push_back(r.lba * 1000 + r.blocks);
  EXPECT_EQ(reads, (std::vector<std::uint64_t>{1, 1001, 2032}));
}

TEST_F(ScanTest, ACorruptedHeaderCrcMeansNoGpt) {
  GptImage image({{0xAF, 2048, 4095, "alpha"}});
  image.header[16] ^= 1;
  put_gpt(image);
  IOPartitionScheme* scheme = probe();
  // Not a GPT disk. The MBR scheme, probed next, then sees the protective slot as an ordinary
  // partition of type 0xEE: the reference's MBR rules make no exception for it.
  ASSERT_NE(scheme, nullptr);
  EXPECT_EQ(scheme->scheme_name(), "MBR");
  ASSERT_EQ(scheme->partition_info().size(), 1u);
  EXPECT_EQ(scheme->partition_info()[0].content_hint, "0xEE");
}

TEST_F(ScanTest, ACorruptedEntryArrayCrcMeansNoGpt) {
  GptImage image({{0xAF, 2048, 4095, "alpha"}});
  image.entries[40] ^= 1;  // after the CRCs were computed
  put_gpt(image);
  IOPartitionScheme* scheme = probe();
  ASSERT_NE(scheme, nullptr);
  EXPECT_EQ(scheme->scheme_name(), "MBR");
}

TEST_F(ScanTest, PartitionsPastTheEndOneBlockOrBackwardsAreSkipped) {
  put_gpt(GptImage({{0xAF, 2048, 4095, "kept"},
                    {0xAF, 6000, kBlocks, "past the end"},  // ends one block beyond the disk
                    {0xAF, 5000, 5000, "one block"},
                    {0xAF, 5100, 5050, "backwards"}}));
  IOPartitionScheme* scheme = probe();
  ASSERT_NE(scheme, nullptr);
  EXPECT_EQ(scheme->scheme_name(), "GPT");
  ASSERT_EQ(scheme->partition_info().size(), 1u);
  EXPECT_EQ(scheme->partition_info()[0].label, "kept");
}

TEST_F(ScanTest, TheProtectiveMbrHeaderSizeAndEntrySizeAreChecked) {
  GptImage two_protective({{0xAF, 2048, 4095, "a"}});
  two_protective.mbr[446 + 16 + 4] = 0xEE;
  put_gpt(two_protective);
  IOPartitionScheme* scheme = probe();
  ASSERT_NE(scheme, nullptr);
  EXPECT_EQ(scheme->scheme_name(), "MBR");  // not GPT
  for (auto mutate : {+[](GptImage& g) { g.header_size = 91; }, +[](GptImage& g) { g.header_size = 513; },
                      +[](GptImage& g) { g.entry_size = 64; }}) {
    GptImage image({{0xAF, 2048, 4095, "a"}});
    mutate(image);
    image.seal();
    put_gpt(image);
    driver_->decommissionMedia(true);
    driver_->mediaStateHasChanged(kIOMediaStateOnline);  // new media object, probed again
    h_.engine.run();
    IOPartitionScheme* again = h_.registry.scheme_on(driver_->media());
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(again->scheme_name(), "MBR");
  }
}

std::vector<std::uint8_t> mbr_block(std::initializer_list<std::array<std::uint32_t, 4>> slots) {
  std::vector<std::uint8_t> b(kBlock, 0);
  int i = 0;
  for (const auto& s : slots) {  // {boot flag, type, relsect, numsect}
    b[446 + 16 * i] = static_cast<std::uint8_t>(s[0]);
    b[446 + 16 * i + 4] = static_cast<std::uint8_t>(s[1]);
    put(b, 446 + 16 * i + 8, s[2], 4);
    put(b, 446 + 16 * i + 12, s[3], 4);
    ++i;
  }
  b[510] = 0x55;
  b[511] = 0xAA;
  return b;
}

TEST_F(ScanTest, MbrPrimariesAndAnExtendedChain) {
  // Slot 1: a primary; slot 2: extended from block 4000; slot 3: past the end, cut; slot 4: at the end, skipped.
  put_blocks(0, mbr_block({{0x80, 0x83, 2048, 1000}, {0, 0x0F, 4000, 3000}, {0, 0x07, 7000, 5000}, {0, 0x07, 8192, 10}}));
  // EBR chain: at 4000 a logical partition 100 blocks in, and a link to the next EBR (4000 + 1000).
  put_blocks(4000, mbr_block({{0, 0x83, 100, 200}, {0, 0x05, 1000, 1000}}));
  put_blocks(5000, mbr_block({{0, 0x0B, 50, 60}}));
  IOPartitionScheme* scheme = probe();
  ASSERT_NE(scheme, nullptr);
  EXPECT_EQ(scheme->scheme_name(), "MBR");
  const auto& p = scheme->partition_info();
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].id, 1u);
  EXPECT_EQ(p[0].base, 2048 * kBlock);
  EXPECT_EQ(p[1].id, 3u);
  EXPECT_EQ(p[1].size, (kBlocks - 7000) * kBlock);  // cut at the end of the media
  EXPECT_EQ(p[2].id, 5u);                           // logical partitions count from 5
  EXPECT_EQ(p[2].base, (4000 + 100) * kBlock);      // relative to their own table block
  EXPECT_EQ(p[3].id, 6u);
  EXPECT_EQ(p[3].base, (5000 + 50) * kBlock);
  EXPECT_EQ(p[3].content_hint, "0x0B");
  EXPECT_NE(h_.registry.find("disk0s6"), nullptr);
}

TEST_F(ScanTest, AnMbrWithABadBootFlagIsCorrupt) {
  put_blocks(0, mbr_block({{0x80, 0x83, 2048, 1000}, {0x12, 0x83, 4096, 1000}}));
  EXPECT_EQ(probe(), nullptr);
}

TEST_F(ScanTest, AnMbrPartitionAtItsOwnTableBlockIsSkipped) {
  put_blocks(0, mbr_block({{0, 0x83, 0, 1000}, {0, 0x83, 4096, 1000}}));
  IOPartitionScheme* scheme = probe();
  ASSERT_NE(scheme, nullptr);
  ASSERT_EQ(scheme->partition_info().size(), 1u);
  EXPECT_EQ(scheme->partition_info()[0].id, 2u);
}

// A table written through the stack, the way a partitioning tool or a traced workload would:
// the writer's close makes the stack probe the disk again, and the partitions appear.
TEST_F(ScanTest, ATableWrittenThroughTheStackIsFoundWhenTheWriterCloses) {
  EXPECT_EQ(probe(), nullptr);  // blank disk
  IOMedia* disk = driver_->media();
  GptImage image({{0xAF, 2048, 4095, "written"}});
  ASSERT_TRUE(disk->open(&h_.client, kIOStorageAccessReaderWriter));
  h_.write(*disk, 0, image.mbr);
  h_.write(*disk, kBlock, image.header);
  h_.write(*disk, 2 * kBlock, image.entries);
  EXPECT_EQ(h_.registry.scheme_on(disk), nullptr);  // nothing yet: the writer still has it open
  disk->close(&h_.client);
  h_.engine.run();
  IOPartitionScheme* scheme = h_.registry.scheme_on(disk);
  ASSERT_NE(scheme, nullptr);
  EXPECT_EQ(scheme->partition_info()[0].label, "written");
}

TEST_F(ScanTest, TheStacksOwnTableWriterProducesATableItsScanFinds) {
  probe();
  proto::PartitionTable table;
  table.add_partition()->set_size("1MiB");
  table.add_partition()->set_label("rest");
  const PartitionLayout layout = plan_partitions(table, kBlock, kBlocks * kBlock);
  ASSERT_TRUE(layout.error.empty()) << layout.error;
  TableWriter writer(h_.context(), *driver_->media(),
                     partition_table_image(layout, table.scheme(), kBlock, kBlocks * kBlock, "disk0"));
  IOReturn status = kIOReturnInvalid;
  writer.start([&status](IOReturn s) { status = s; });
  h_.engine.run();
  EXPECT_EQ(status, kIOReturnSuccess);
  IOPartitionScheme* scheme = h_.registry.scheme_on(driver_->media());
  ASSERT_NE(scheme, nullptr);
  ASSERT_EQ(scheme->partition_info().size(), 2u);
  EXPECT_EQ(scheme->partition_info()[0].base, 1u << 20);  // 1 MiB aligned
  EXPECT_EQ(scheme->partition_info()[1].label, "rest");
  // The bytes on the media check out with the test's own CRC too.
  std::vector<std::uint8_t> header(kBlock), entries(128 * 128);
  data_->read(1, 1, header.data());
  data_->read(2, 32, entries.data());
  std::uint32_t stored = 0;
  std::memcpy(&stored, header.data() + 16, 4);
  std::memset(header.data() + 16, 0, 4);
  EXPECT_EQ(test_crc32(header.data(), 92), stored);
  std::memcpy(&stored, header.data() + 88, 4);
  EXPECT_EQ(test_crc32(entries.data(), entries.size()), stored);
}

}  // namespace
}  // namespace blocksim
