// Seek curves against figures computed by hand: a measured table (points of the HP C3323A's
// extracted curve), Ruemmler and Wilkes's two-piece formula with the HP C2247A's coefficients,
// and a three-point curve that must meet its full-stroke and average figures; a dual curve whose
// writes seek by their own table, also through the mechanics' moves.
#include <gtest/gtest.h>

#include <cmath>

#include <google/protobuf/text_format.h>

#include "models/hdd/layout.hpp"
#include "models/hdd/mechanics.hpp"
#include "models/hdd/seek_curve.hpp"

namespace blocksim::hdd {
namespace {

SeekCurve make(const std::string& text, std::uint32_t cylinders = 3000) {
  proto::HddSeek config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config)) << text;
  return SeekCurve(config, cylinders);
}

TEST(HddSeekCurve, TableIsInterpolatedExtrapolatedAndKeptNonMonotone) {
  const SeekCurve seek = make(R"(table {
      point { cylinders: 1 time: "1.178043ms" }
      point { cylinders: 10 time: "2.758466ms" }
      point { cylinders: 12 time: "2.613908ms" }
      point { cylinders: 20 time: "3.007988ms" } })");
  EXPECT_EQ(seek.time_ns(0), 0);
  EXPECT_NEAR(seek.time_ns(1), 1178043, 1);
  EXPECT_NEAR(seek.time_ns(12), 2613908, 1);
  // Between 10 and 12, half-way down: (2.758466 + 2.613908) / 2 = 2.686187 ms.
  EXPECT_NEAR(seek.time_ns(11), 2686187, 1);
  // Between 1 and 10, 4/9 of the way: 1.178043 + 4/9 * 1.580423 = 1.880453 ms.
  EXPECT_NEAR(seek.time_ns(5), 1880453.4, 1);
  // Past the end, the last two points' line: 3.007988 + 8 * (3.007988 - 2.613908) / 8 = 3.402068 ms.
  EXPECT_NEAR(seek.time_ns(28), 3402068, 1);
}

TEST(HddSeekCurve, TwoPieceFormulaWithShortSeeksFirst) {
  // HP C2247A: 3.81 + 0.33 sqrt(d) below 300 cylinders, 7.75 + 0.0059 d from 300; 1..3 from a table.
  const SeekCurve seek = make(R"(
      formula { boundary: 300 sqrt_base: "3.81ms" sqrt_factor: "0.33ms" linear_base: "7.75ms" linear_factor: "0.0059ms" }
      short_seek: ["2.63ms", "3.42ms", "3.55ms"])");
  EXPECT_NEAR(seek.time_ns(2), 3420000, 1);
  EXPECT_NEAR(seek.time_ns(100), 3810000 + 330000 * 10.0, 1);  // 7.11 ms
  EXPECT_NEAR(seek.time_ns(300), 7750000 + 5900 * 300.0, 1);   // 9.52 ms
  EXPECT_NEAR(seek.time_ns(2051), 7750000 + 5900 * 2051.0, 1); // full stroke 19.85 ms
}

TEST(HddSeekCurve, ThreePointCurveMeetsItsFullStrokeAndAverage) {
  const std::uint32_t cylinders = 2000;
  const SeekCurve seek = make(R"(three_point { single_cylinder: "0.8ms" average: "8ms" full_stroke: "16ms" })", cylinders);
  EXPECT_NEAR(seek.time_ns(1), 800000, 1);
  EXPECT_NEAR(seek.time_ns(cylinders - 1), 16e6, 1);
  // The mean over every (start, end) pair of cylinders, including no move at all.
  double sum = 0;
  for (std::uint32_t d = 1; d < cylinders; ++d)
    sum += 2.0 * (cylinders - d) * seek.time_ns(d);
  EXPECT_NEAR(sum / (static_cast<double>(cylinders) * cylinders), 8e6, 1e3);
  // An acceleration-limited curve: concave, rising.
  EXPECT_LT(seek.time_ns(10), seek.time_ns(100));
  EXPECT_GT(seek.time_ns(100) - seek.time_ns(10), seek.time_ns(190) - seek.time_ns(100));
}

const char kDual[] = R"(
    table { point { cylinders: 1 time: "1ms" } point { cylinders: 10 time: "2ms" } }
    write_table { point { cylinders: 1 time: "1.5ms" } point { cylinders: 11 time: "3.5ms" } })";

TEST(HddSeekCurve, DualCurveSeeksWritesByTheWriteTable) {
  const SeekCurve seek = make(kDual);
  // Reads: 4/9 of the way from 1 to 2 ms. Writes: 4/10 of the way from 1.5 to 3.5 ms.
  EXPECT_NEAR(seek.time_ns(5), 1444444.4, 1);
  EXPECT_NEAR(seek.time_ns(5, false), 1444444.4, 1);
  EXPECT_NEAR(seek.time_ns(5, true), 2300000, 1);
  EXPECT_EQ(seek.time_ns(0, true), 0);
  // Past the write table's end: 3.5 ms + 10 x 0.2 ms.
  EXPECT_NEAR(seek.time_ns(21, true), 5500000, 1);
  // A write table without points is refused.
  proto::HddSeek bad;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kDual, &bad));
  bad.mutable_write_table()->clear_point();
  EXPECT_THROW(SeekCurve(bad, 3000), std::exception);
}

TEST(HddSeekCurve, MechanicsMoveAWriteByTheWriteTablePlusSettle) {
  proto::HddLayout layout_config;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      "surfaces: 2 zone { first_cylinder: 0 last_cylinder: 99 sectors_per_track: 10 }", &layout_config));
  const Layout layout(layout_config);
  proto::HddMechanics config;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      std::string("rpm: 10000 head_switch: \"1.8ms\" write_settle: \"0.1ms\" seek {") + kDual + "}", &config));
  const Mechanics mechanics(config, layout);
  // 5 cylinders: a read 1.444444 ms; a write 2.3 ms + 0.1 ms settle.
  EXPECT_NEAR(mechanics.move_ns({0, 0}, {5, 0}, false), 1444444.4, 1);
  EXPECT_NEAR(mechanics.move_ns({0, 0}, {5, 0}, true), 2400000, 1);
  // 1 cylinder and a head switch: the switch (1.8 ms) beats both seeks; a write adds its settle.
  EXPECT_NEAR(mechanics.move_ns({0, 0}, {1, 1}, false), 1800000, 1);
  EXPECT_NEAR(mechanics.move_ns({0, 0}, {1, 1}, true), 1900000, 1);
}

}  // namespace
}  // namespace blocksim::hdd
