// RAID-1 under faults (docs/faults.md): through a member's unreadable sectors the set reads the
// other copy and stays whole; through a member's surprise removal in the middle of a random
// workload it goes degraded (a trace event, a metric) and loses no acknowledged write, checked
// byte for byte through the set and on the surviving member's own data.
#include <gtest/gtest.h>

#include <array>
#include <deque>

#include "models/common/device_base.hpp"
#include "models/device_registry.hpp"
#include "sim/core/random.hpp"
#include "sim/media/raid1_set.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

using testing::Io;
using testing::StackHarness;

constexpr std::uint64_t kRegion = 4096;
constexpr std::uint64_t kRegions = 64;

// The bytes of region `region` at `version` (0: never written, zeros).
std::vector<std::uint8_t> region_content(std::uint64_t region, std::uint64_t version) {
  std::vector<std::uint8_t> bytes(kRegion, 0);
  if (version == 0)
    return bytes;
  for (std::uint64_t k = 0; k < kRegion; ++k)
    bytes[k] = static_cast<std::uint8_t>((region * 131 + version * 7919 + k * 31 + (k >> 7)) >> 1);
  return bytes;
}

class RaidFaultTest : public ::testing::Test {
 protected:
  void build() {
    for (std::uint32_t i = 0; i < 2; ++i) {
      const std::string name = "disk" + std::to_string(i);
      devices_.push_back(h_.make_device(R"(capacity: "256KiB" block_size: "512" carry_data: true
          write_cache { present: true } reference { queue_depth: 4 service { exponential: "200us" } })",
                                        i, name));
      drivers_.push_back(h_.make_driver(*devices_.back(), name, i));
    }
    set_ = std::make_unique<Raid1Set>(h_.context(), "mirror",
                                      std::vector<IOMedia*>{drivers_[0]->media(), drivers_[1]->media()});
    ASSERT_TRUE(set_->assemble());
    ASSERT_TRUE(set_->media()->open(&h_.client, kIOStorageAccessReaderWriter));
  }
  FaultInjector& injector(int i) { return *fault_injector(*devices_[static_cast<std::size_t>(i)]); }
  DeviceData& data(int i) {
    return *static_cast<DeviceBase*>(&injector(i).model())->data();
  }
  static std::vector<std::uint8_t> content(std::uint64_t region, std::uint64_t version) {
    return region_content(region, version);
  }

  StackHarness h_;
  std::vector<std::unique_ptr<IOBlockStorageDevice>> devices_;
  std::vector<std::unique_ptr<IOBlockStorageDriver>> drivers_;
  std::unique_ptr<Raid1Set> set_;
};

TEST_F(RaidFaultTest, UnreadableSectorsOnOneMemberAreReadFromTheOther) {
  build();
  const auto data = StackHarness::pattern(16 * kRegion, 9);
  ASSERT_EQ(h_.write(*set_->media(), 0, data).result.status, kIOReturnSuccess);
  injector(0).add_unreadable(0, 128, 2);  // the first 64 KiB of member 0
  for (int i = 0; i < 16; ++i) {
    Io& io = h_.read(*set_->media(), static_cast<std::uint64_t>(i) * kRegion, kRegion);
    ASSERT_EQ(io.result.status, kIOReturnSuccess) << i;
    EXPECT_EQ(io.bytes, std::vector<std::uint8_t>(data.begin() + i * kRegion, data.begin() + (i + 1) * kRegion));
  }
  EXPECT_FALSE(set_->degraded());
  EXPECT_GT(set_->media_errors(), 0u);  // reads that went to member 0 first
  // Member 0 saw each of those fail (after its retries), member 1 served them.
  int failed_on_0 = 0;
  for (const auto& r : h_.sink.records)
    failed_on_0 += r.layer == Layer::kDevice && r.device == 0 && r.status == kIOReturnIOError;
  EXPECT_EQ(static_cast<std::uint64_t>(failed_on_0), set_->media_errors());
  EXPECT_TRUE(h_.sink.events.empty());
}

// A closed loop of 8 random reads and writes of whole 4 KiB regions (never two at once on one
// region, so each write's bytes are known), 600 requests; member 1 is pulled out after it has
// been sent 300. Every write the set acknowledged must read back, through the set and on member 0.
class MirrorWorkload {
 public:
  MirrorWorkload(StackHarness& h, IOStorage& target) : h_(h), target_(target) {}

  struct Request {
    IOMemoryDescriptor buffer;
    IOStorageAttributes attributes;
    std::vector<std::uint8_t> bytes;
    std::uint64_t region = 0;
    std::uint64_t version = 0;
    MirrorWorkload* owner = nullptr;
  };

  void start() {
    while (in_flight_ < 8 && issued_ < kTotal)
      issue();
  }

  static constexpr int kTotal = 600;
  std::array<std::uint64_t, kRegions> acknowledged{};  // version of each region's last acked write
  int issued_ = 0, write_errors = 0, read_errors = 0, read_mismatches = 0;

 private:
  void issue() {
    std::uint64_t region = rng_.below(kRegions);
    while (busy_[region])
      region = (region + 1) % kRegions;
    busy_[region] = true;
    ++issued_;
    ++in_flight_;
    requests_.emplace_back();
    Request& r = requests_.back();
    r.owner = this;
    r.region = region;
    const bool write = rng_.below(100) < 60;
    r.version = write ? ++written_[region] : acknowledged[region];
    r.bytes = write ? region_content(region, r.version) : std::vector<std::uint8_t>(kRegion, 0);
    r.buffer = IOMemoryDescriptor{write ? IODirection::kOut : IODirection::kIn, kRegion, r.bytes.data(), h_.ids.next()};
    IOStorageCompletion done{this, &MirrorWorkload::completed, &r};
    if (write)
      target_.write(region * kRegion, &r.buffer, &r.attributes, &done);
    else
      target_.read(region * kRegion, &r.buffer, &r.attributes, &done);
  }

  static void completed(void* target, void* parameter, IOReturn status, std::uint64_t) {
    auto* self = static_cast<MirrorWorkload*>(target);
    const Request& r = *static_cast<Request*>(parameter);
    const bool write = r.buffer.direction == IODirection::kOut;
    if (status != kIOReturnSuccess)
      ++(write ? self->write_errors : self->read_errors);
    else if (write)
      self->acknowledged[r.region] = std::max(self->acknowledged[r.region], r.version);
    else if (r.bytes != region_content(r.region, r.version))
      ++self->read_mismatches;
    self->busy_[r.region] = false;
    --self->in_flight_;
    // The next one from a timer: a completion may run inside the call that submitted it.
    self->h_.engine.at(self->h_.engine.now(), [self] { self->start(); });
  }

  StackHarness& h_;
  IOStorage& target_;
  Rng rng_{11, 3};
  std::array<std::uint64_t, kRegions> written_{};
  std::array<bool, kRegions> busy_{};
  std::deque<Request> requests_;
  int in_flight_ = 0;
};

TEST_F(RaidFaultTest, NoAcknowledgedWriteIsLostWhenAMemberIsPulledMidWorkload) {
  build();
  injector(1).after_requests(300, [this] { injector(1).remove_device(); });
  MirrorWorkload workload(h_, *set_->media());
  workload.start();
  h_.engine.run();
  const int issued = workload.issued_;
  const int write_errors = workload.write_errors, read_errors = workload.read_errors;
  const int read_mismatches = workload.read_mismatches;
  const auto& acknowledged = workload.acknowledged;
  EXPECT_EQ(issued, 600);
  EXPECT_EQ(write_errors, 0);
  EXPECT_EQ(read_errors, 0);
  EXPECT_EQ(read_mismatches, 0);
  EXPECT_TRUE(set_->degraded());
  EXPECT_TRUE(injector(1).removed());
  bool degraded_event = false;
  for (const auto& e : h_.sink.events)
    degraded_event = degraded_event || (e.kind == "raid_degraded" && e.target == "mirror");
  EXPECT_TRUE(degraded_event);

  // Byte for byte: through the set, and on the survivor's own blocks (cache over media).
  std::uint64_t wrong_through_set = 0, wrong_on_member = 0;
  for (std::uint64_t region = 0; region < kRegions; ++region) {
    const auto expected = content(region, acknowledged[region]);
    Io& back = h_.read(*set_->media(), region * kRegion, kRegion);
    ASSERT_EQ(back.result.status, kIOReturnSuccess);
    wrong_through_set += back.bytes != expected;
    std::vector<std::uint8_t> on_member(kRegion);
    data(0).read(region * kRegion / 512, kRegion / 512, on_member.data());
    wrong_on_member += on_member != expected;
  }
  EXPECT_EQ(wrong_through_set, 0u);
  EXPECT_EQ(wrong_on_member, 0u);
}

}  // namespace
}  // namespace blocksim
