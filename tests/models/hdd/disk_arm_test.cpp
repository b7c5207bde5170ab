// The arm's timing against hand-worked figures on a small drive: 6000 rpm (a 10 ms revolution,
// 100 sectors of 0.1 ms a track), 1000 cylinders, 2 surfaces, track skew 10 sectors, cylinder
// skew 20, a 0.5 ms head switch, and a seek of 1 ms + 0.01 ms per cylinder beyond the first
// (full stroke: 999 cylinders, 10.98 ms). The platter is at angle 0 at time 0.
#include <gtest/gtest.h>

#include <google/protobuf/text_format.h>

#include "models/hdd/disk_arm.hpp"

namespace blocksim::hdd {
namespace {

constexpr double kMs = 1e6;

class RecordingClient final : public ArmClient {
 public:
  std::uint64_t read_limit(double) override { return ~std::uint64_t{0}; }
  double data_ready_ns(std::uint64_t) override { return 0; }
  void arm_progress() override {}
  void arm_finished() override { finished_at = engine->now(); }
  Engine* engine = nullptr;
  SimTime finished_at = -1;
};

class HddArm : public ::testing::Test {
 protected:
  void SetUp() override { build("0.5ms"); }

  void build(const std::string& head_switch, const std::string& more_mechanics = "") {
    proto::HddDevice config;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"(
        mechanics {
          rpm: 6000
          seek { table { point { cylinders: 1 time: "1ms" } point { cylinders: 999 time: "10.98ms" } } }
          head_switch: ")" + head_switch + R"(" write_settle: "0.3ms" )" + more_mechanics + R"( }
        layout { surfaces: 2 zone { first_cylinder: 0 last_cylinder: 999 sectors_per_track: 100
                                    track_skew: 10 cylinder_skew: 20 } })",
                                                              &config));
    layout_ = std::make_unique<Layout>(config.layout());
    mechanics_ = std::make_unique<Mechanics>(config.mechanics(), *layout_);
    client_.engine = &engine_;
    arm_ = std::make_unique<DiskArm>(engine_, *mechanics_, client_);
  }

  // Reads or writes [first, end) starting no earlier than `not_before`; returns when it finished.
  double access(std::uint64_t first, std::uint64_t end, SimTime not_before = 0, bool write = false) {
    ArmAccess a;
    a.write = write;
    a.next = first;
    a.end = a.foreground_end = end;
    arm_->start(a, not_before);
    engine_.run();
    return static_cast<double>(client_.finished_at);
  }

  Engine engine_;
  RecordingClient client_;
  std::unique_ptr<Layout> layout_;
  std::unique_ptr<Mechanics> mechanics_;
  std::unique_ptr<DiskArm> arm_;
};

TEST_F(HddArm, FullStrokeSeekThenRotationToTheSector) {
  // Block 199800 is sector 0 of (999, 0). Its track's first block lies at (999 track switches * 10
  // + 999 * 20) mod 100 = 70 sectors: angle 0.70. The seek ends at 10.98 ms, angle 0.098; the
  // sector comes round 0.602 revolution later, at 17.00 ms, and has passed by 17.10 ms.
  EXPECT_NEAR(mechanics_->seek_ns(999), 10.98 * kMs, 1);
  EXPECT_NEAR(access(199800, 199801), 17.10 * kMs, 2);
  EXPECT_EQ(arm_->track(), (Track{999, 0}));
}

TEST_F(HddArm, SeekScaleMultipliesEverySeekButNotTheHeadSwitch) {
  build("0.5ms", "seek_scale: 1.5");
  EXPECT_NEAR(mechanics_->seek_ns(999), 1.5 * 10.98 * kMs, 1);
  EXPECT_NEAR(mechanics_->move_ns({0, 0}, {1, 1}, false), 1.5 * kMs, 1);  // max(0.5, 1.5 x 1) ms
  build("0.5ms", "seek_scale: 0.25");
  EXPECT_NEAR(mechanics_->move_ns({0, 0}, {1, 1}, false), 0.5 * kMs, 1);  // max(0.5, 0.25 x 1) ms
  EXPECT_NEAR(mechanics_->move_ns({0, 0}, {999, 0}, true), (0.25 * 10.98 + 0.3) * kMs, 1);  // + write settle
}

TEST_F(HddArm, TrackSkewHidesTheHeadSwitch) {
  // Blocks 95..104: sectors 95-99 of (0,0) from 9.5 ms to 10.0 ms; the head switch ends at 10.5 ms;
  // (0,1)'s first block is skewed 10 sectors (angle 0.10), under the head at 11.0 ms; five
  // sectors later, 11.5 ms.
  EXPECT_NEAR(access(95, 105), 11.5 * kMs, 2);
}

TEST_F(HddArm, AHeadSwitchLongerThanTheSkewLosesARevolution) {
  build("1.5ms");
  // The switch ends at 11.5 ms, angle 0.15: sector 0 of (0,1) (angle 0.10) has just gone by and
  // comes back 0.95 revolution later, at 21.0 ms; five sectors: 21.5 ms.
  EXPECT_NEAR(access(95, 105), 21.5 * kMs, 2);
}

TEST_F(HddArm, RotationalMissByOneSector) {
  // A sector is 1/100 revolution, 0.1 ms. At 1.01 ms the head is a tenth of the way into sector 10
  // (angle 0.101). Sector 11 comes 0.09 ms later and is read by 1.20 ms; sector 10 has just been
  // missed and comes back 0.999 revolution later: it starts at 11.00 ms and is read by 11.10 ms.
  const auto t0 = static_cast<SimTime>(1.01 * kMs);
  EXPECT_NEAR(access(11, 12, t0), 1.20 * kMs, 2);
  // The same angle one revolution later, on a fresh arm (the engine's clock runs on).
  build("0.5ms");
  EXPECT_NEAR(access(10, 11, t0 + static_cast<SimTime>(10 * kMs)), 21.10 * kMs, 2);
}

TEST_F(HddArm, WritesSettleOnlyAfterAMove) {
  // Block 282 is sector 82 of (1,0): (30 + 82) mod 100 = 12 sectors, angle 0.12. A read's one-
  // cylinder seek ends at 1.0 ms (angle 0.10): it waits 0.2 ms and is done at 1.3 ms.
  EXPECT_NEAR(access(282, 283), 1.3 * kMs, 2);
  // A write from the same place a revolution later (a fresh arm at 10 ms) settles 0.3 ms more: at
  // 11.3 ms (angle 0.13) the sector has gone by; it comes back 0.99 revolution later, at 21.2 ms,
  // and is written by 21.3 ms.
  build("0.5ms");
  EXPECT_NEAR(access(282, 283, static_cast<SimTime>(10 * kMs), true), 21.3 * kMs, 2);
  // Without a move there is nothing to settle: sector 83 (angle 0.13) is under the head at 21.3 ms.
  EXPECT_NEAR(access(283, 284, 0, true), 21.4 * kMs, 2);
}

TEST_F(HddArm, StoppingFreesTheArmAtTheEndOfTheSeekOrSector) {
  ArmAccess a;
  a.next = 199800;
  a.end = a.foreground_end = 199810;
  arm_->start(a, 0);
  // 5 ms into the 10.98 ms seek: the arm is free when the seek ends, nothing read.
  SimTime free_at = -1;
  engine_.at(static_cast<SimTime>(5 * kMs), [&] { free_at = arm_->stop(engine_.now(), false); });
  engine_.run();
  EXPECT_NEAR(static_cast<double>(free_at), 10.98 * kMs, 2);
  EXPECT_EQ(arm_->access().next, 199800u);
}

}  // namespace
}  // namespace blocksim::hdd
