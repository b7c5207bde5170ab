// Seek curves against figures computed by hand: a measured table (points of the HP C3323A's
// extracted curve), Ruemmler and Wilkes's two-piece formula with the HP C2247A's coefficients,
// and a three-point curve that must meet its full-stroke and average figures.
#include <gtest/gtest.h>

#include <cmath>

#include <google/protobuf/text_format.h>

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

}  // namespace
}  // namespace blocksim::hdd
