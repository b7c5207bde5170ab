// RAID-0 and RAID-1 sets over devices that carry data. RAID-0: every byte written through the set
// lands on the member and offset an independent mapping (row by row of the stripe table) says.
// RAID-1: a write completes when every member has; reads are spread over the members; with a
// member gone, every block still reads back.
#include <gtest/gtest.h>

#include <map>

#include "models/common/device_base.hpp"
#include "sim/core/random.hpp"
#include "sim/media/raid0_set.hpp"
#include "sim/media/raid1_set.hpp"
#include "tests/support/scripted_device.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

using testing::StackHarness;

constexpr std::uint64_t kMemberBytes = 256 * 1024;

class RaidTest : public ::testing::Test {
 protected:
  void build(int members, const std::vector<std::string>& services = {}) {
    for (int i = 0; i < members; ++i) {
      const std::string service = i < static_cast<int>(services.size()) ? services[i] : "fixed: \"20us\"";
      const std::string name = "disk" + std::to_string(i);
      devices_.push_back(h_.make_device(R"(capacity: "256KiB" block_size: "512" carry_data: true
                                           reference { queue_depth: 4 service { )" + service + " } }",
                                        static_cast<std::uint32_t>(i), name));
    }
    for (int i = 0; i < members; ++i)
      drivers_.push_back(h_.make_driver(*devices_[i], "disk" + std::to_string(i), static_cast<std::uint32_t>(i)));
  }
  std::vector<IOMedia*> members() {
    std::vector<IOMedia*> m;
    for (auto& d : drivers_)
      m.push_back(d->media());
    return m;
  }
  DeviceData& data(int i) { return *static_cast<DeviceBase*>(&fault_injector(*devices_[i])->model())->data(); }
  int device_reads(std::uint32_t device) const {
    int n = 0;
    for (const auto& r : h_.sink.records)
      n += r.layer == Layer::kDevice && r.device == device && r.op == Op::kRead;
    return n;
  }

  StackHarness h_;
  std::vector<std::unique_ptr<IOBlockStorageDevice>> devices_;
  std::vector<std::unique_ptr<IOBlockStorageDriver>> drivers_;
};

// The byte the test writes at set offset x.
std::uint8_t byte_at(std::uint64_t x) { return static_cast<std::uint8_t>((x * 2654435761u) >> 13); }

TEST_F(RaidTest, Raid0PutsEveryByteWhereTheStripeTableSays) {
  build(3);
  const std::uint64_t stripe = 4096;
  Raid0Set set(h_.context(), "raid0", members(), stripe);
  ASSERT_TRUE(set.assemble());
  IOMedia* media = set.media();
  EXPECT_EQ(media->getSize(), 3 * kMemberBytes);
  ASSERT_TRUE(media->open(&h_.client, kIOStorageAccessReaderWriter));

  // Fill the set with writes of random sizes at random (unaligned) places, in order.
  Rng rng(5, 1);
  std::vector<std::uint8_t> expected(media->getSize(), 0);
  for (int i = 0; i < 120; ++i) {
    const std::uint64_t length = 1 + rng.below(3 * stripe);
    const std::uint64_t offset = rng.below(media->getSize() - length);
    std::vector<std::uint8_t> bytes(length);
    for (std::uint64_t k = 0; k < length; ++k)
      bytes[k] = expected[offset + k] = byte_at(offset + k + static_cast<std::uint64_t>(i));
    ASSERT_EQ(h_.write(*media, offset, bytes).result.status, kIOReturnSuccess);
  }
  // Independent mapping: row r of the stripe table holds set stripes r*n .. r*n+n-1, the c-th of
  // which is member c's bytes [r*stripe, (r+1)*stripe).
  std::vector<std::vector<std::uint8_t>> on_member(3, std::vector<std::uint8_t>(kMemberBytes));
  for (int m = 0; m < 3; ++m)
    data(m).read(0, kMemberBytes / 512, on_member[m].data());
  const std::uint64_t rows = kMemberBytes / stripe;
  std::uint64_t mismatches = 0;
  for (std::uint64_t r = 0; r < rows; ++r)
    for (std::uint64_t c = 0; c < 3; ++c)
      for (std::uint64_t k = 0; k < stripe; ++k)
        mismatches += on_member[c][r * stripe + k] != expected[(r * 3 + c) * stripe + k];
  EXPECT_EQ(mismatches, 0u);
  // And the set reads back what was written, across stripe boundaries.
  auto& back = h_.read(*media, stripe - 100, 2 * stripe + 300);
  EXPECT_EQ(back.bytes, std::vector<std::uint8_t>(expected.begin() + stripe - 100, expected.begin() + 3 * stripe + 200));
  // Pieces carry the set request as parent.
  int pieces = 0;
  for (const auto& r : h_.sink.records)
    pieces += r.layer == Layer::kDriver && r.parent_id == back.buffer.request_id;
  EXPECT_EQ(pieces, 4);  // the tail of stripe 0, stripes 1 and 2, the head of stripe 3
}

TEST_F(RaidTest, Raid1WriteCompletesWhenTheSlowestMemberHas) {
  build(2, {"fixed: \"10us\"", "fixed: \"900us\""});
  Raid1Set set(h_.context(), "mirror", members());
  ASSERT_TRUE(set.assemble());
  ASSERT_TRUE(set.media()->open(&h_.client, kIOStorageAccessReaderWriter));
  auto& w = h_.write(*set.media(), 4096, StackHarness::pattern(4096, 1));
  EXPECT_EQ(w.result.status, kIOReturnSuccess);
  SimTime slowest = 0;
  for (const auto& r : h_.sink.records)
    if (r.layer == Layer::kDevice && r.op == Op::kWrite)
      slowest = std::max(slowest, r.complete);
  EXPECT_GE(w.result.completed_at, slowest);
  EXPECT_GT(slowest, 900'000);
}

TEST_F(RaidTest, Raid1SpreadsReadsOverItsMembers) {
  build(2);
  Raid1Set set(h_.context(), "mirror", members());
  ASSERT_TRUE(set.assemble());
  ASSERT_TRUE(set.media()->open(&h_.client, kIOStorageAccessReader));
  for (int i = 0; i < 40; ++i)
    h_.submit(*set.media(), IODirection::kIn, 512 * static_cast<std::uint64_t>(i), 512);
  h_.engine.run();
  EXPECT_EQ(device_reads(0), 20);
  EXPECT_EQ(device_reads(1), 20);
}

TEST_F(RaidTest, Raid1SurvivesAMemberFailureWithEveryBlockReadable) {
  build(2);
  Raid1Set set(h_.context(), "mirror", members());
  ASSERT_TRUE(set.assemble());
  IOMedia* media = set.media();
  ASSERT_TRUE(media->open(&h_.client, kIOStorageAccessReaderWriter));
  const auto first_half = StackHarness::pattern(kMemberBytes / 2, 3);
  ASSERT_EQ(h_.write(*media, 0, first_half).result.status, kIOReturnSuccess);
  set.fail_member(0);  // degraded: writes go on to the other copy
  const auto second_half = StackHarness::pattern(kMemberBytes / 2, 4);
  ASSERT_EQ(h_.write(*media, kMemberBytes / 2, second_half).result.status, kIOReturnSuccess);
  std::uint64_t bad = 0;
  for (std::uint64_t block = 0; block < kMemberBytes / 512; ++block) {
    auto& r = h_.read(*media, block * 512, 512);
    ASSERT_EQ(r.result.status, kIOReturnSuccess) << block;
    const auto& source = block < kMemberBytes / 1024 ? first_half : second_half;
    const std::uint64_t at = (block % (kMemberBytes / 1024)) * 512;
    bad += !std::equal(r.bytes.begin(), r.bytes.end(), source.begin() + static_cast<std::ptrdiff_t>(at));
  }
  EXPECT_EQ(bad, 0u);
  EXPECT_EQ(set.live_members(), 1u);
}

TEST_F(RaidTest, Raid1ReadsFromTheOtherCopyWhenAMemberFailsARead) {
  StackHarness& h = h_;
  testing::ScriptedDevice bad(h.engine, 512, 512);
  testing::ScriptedDevice good(h.engine, 512, 512);
  auto bad_driver = h.make_driver(bad, "bad", 0);
  auto good_driver = h.make_driver(good, "good", 1);
  Raid1Set set(h.context(), "mirror", {bad_driver->media(), good_driver->media()});
  ASSERT_TRUE(set.assemble());
  ASSERT_TRUE(set.media()->open(&h.client, kIOStorageAccessReader));
  bad.answers.push_back({kIOReturnSuccess, kIOReturnBadMedia, 0, 1000});  // an unrecovered read error
  auto& r = h.read(*set.media(), 0, 512);
  EXPECT_EQ(r.result.status, kIOReturnSuccess);
  EXPECT_FALSE(set.member_failed(0));  // a media error: the member stays in service
  EXPECT_EQ(good.calls_of("read").size(), 1u);
  // With the member's media gone, it is out; the set still serves from the other.
  bad.removable = true;
  bad.set_media_present(false);
  EXPECT_TRUE(set.member_failed(0));
  EXPECT_EQ(h.read(*set.media(), 512, 512).result.status, kIOReturnSuccess);
}

TEST_F(RaidTest, Raid0FailsWithTheFirstFailedPiece) {
  build(2);
  Raid0Set set(h_.context(), "stripe", members(), 4096);
  ASSERT_TRUE(set.assemble());
  ASSERT_TRUE(set.media()->open(&h_.client, kIOStorageAccessReader));
  set.fail_member(1);  // a RAID-0 set cannot do without a member
  auto& r = h_.read(*set.media(), 0, 8192);
  EXPECT_EQ(r.result.status, kIOReturnNoDevice);
  EXPECT_EQ(r.result.bytes, 4096u);  // the piece on member 0 came before the failed one
}

}  // namespace
}  // namespace blocksim
