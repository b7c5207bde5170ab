// Quantities with units, as scenarios write them.
#include <gtest/gtest.h>

#include "sim/core/units.hpp"

namespace blocksim::units {
namespace {

TEST(Units, Durations) {
  EXPECT_EQ(duration_ns("250ns"), 250);
  EXPECT_EQ(duration_ns("4.5us"), 4'500);
  EXPECT_EQ(duration_ns("8 ms"), 8'000'000);
  EXPECT_EQ(duration_ns("2s"), 2'000'000'000);
  EXPECT_EQ(duration_ns("1min"), 60'000'000'000);
  EXPECT_EQ(duration_ns("0.0004ns"), 0);
  EXPECT_FALSE(parse_duration("8").value);
  EXPECT_FALSE(parse_duration("8 mss").value);
  EXPECT_NE(parse_duration("fast").error.find("expected a number"), std::string::npos);
  EXPECT_FALSE(parse_duration("1e300s").value);
}

TEST(Units, Sizes) {
  EXPECT_EQ(bytes("512"), 512u);
  EXPECT_EQ(bytes("4KiB"), 4096u);
  EXPECT_EQ(bytes("4k"), 4096u);
  EXPECT_EQ(bytes("1MB"), 1'000'000u);
  EXPECT_EQ(bytes("1.5GiB"), 1'610'612'736u);
  EXPECT_EQ(bytes("1TB"), 1'000'000'000'000u);
  EXPECT_FALSE(parse_bytes("1.5").value);  // not a whole byte count
  EXPECT_FALSE(parse_bytes("4 kib").value);
}

TEST(Units, BandwidthsAndRates) {
  EXPECT_DOUBLE_EQ(bandwidth("4GB/s"), 4e9);
  EXPECT_DOUBLE_EQ(bandwidth("6Gb/s"), 0.75e9);
  EXPECT_DOUBLE_EQ(bandwidth("550MB/s"), 550e6);
  EXPECT_DOUBLE_EQ(bandwidth("1GiB/s"), 1073741824.0);
  EXPECT_DOUBLE_EQ(rate("20k/s"), 20'000);
  EXPECT_DOUBLE_EQ(rate("150/s"), 150);
  EXPECT_FALSE(parse_bandwidth("4GB").value);
  EXPECT_THROW(rate("fast"), std::invalid_argument);
}

}  // namespace
}  // namespace blocksim::units
