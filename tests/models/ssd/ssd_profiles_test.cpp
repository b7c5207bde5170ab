// The shipped profiles against their datasheets (model-facts.md §5), within 10 %, each figure
// measured the way the datasheet states it: sequential 128 KiB at QD32, random 4 KiB at QD32
// (the 970 EVO Plus at QD32 with 4 threads: four jobs of 32). Reads run on a preconditioned
// (filled) drive so that they reach the flash; writes on a fresh one, as datasheets measure.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "tests/models/ssd/steady_rate.hpp"
#include "tests/support/recording_sink.hpp"

namespace blocksim {
namespace {

constexpr const char* k870Evo = "scenarios/profiles/samsung-870-evo-1tb.textproto";
constexpr const char* k970EvoPlus = "scenarios/profiles/samsung-970-evo-plus-1tb.textproto";

testing::SteadyRate run(const char* profile, bool read, bool sequential, int jobs, std::uint64_t requests) {
  std::string text = "seed: 21\ndevice { name: \"d\" profile: \"" + std::string(profile) + "\"" +
                     (read ? " ssd { precondition { fill: 1 } }" : "") + " }\n";
  for (int i = 0; i < jobs; ++i)
    text += std::string("workload { job { read_fraction: ") + (read ? "1" : "0") +
            (sequential ? " pattern: SEQUENTIAL block_size: \"128KiB\"" : " block_size: \"4KiB\"") +
            " closed { queue_depth: 32 } requests: " + std::to_string(requests) + " } }\n";
  return testing::steady_rate(testing::run_and_record(text));
}

void expect_datasheet(const char* what, double measured, double datasheet) {
  std::printf("%s: model %.0f, datasheet %.0f (%+.1f %%)\n", what, measured, datasheet,
              100 * (measured / datasheet - 1));
  EXPECT_NEAR(measured / datasheet, 1.0, 0.10) << what;
}

TEST(SsdProfiles, Samsung870EvoSequentialRead) {
  expect_datasheet("870 EVO sequential read MB/s", run(k870Evo, true, true, 1, 20000).bytes_per_second / 1e6, 560);
}
TEST(SsdProfiles, Samsung870EvoSequentialWrite) {
  expect_datasheet("870 EVO sequential write MB/s", run(k870Evo, false, true, 1, 20000).bytes_per_second / 1e6, 530);
}
TEST(SsdProfiles, Samsung870EvoRandomRead) {
  expect_datasheet("870 EVO random 4 KiB read IOPS", run(k870Evo, true, false, 1, 200000).requests_per_second, 98000);
}
TEST(SsdProfiles, Samsung870EvoRandomWrite) {
  expect_datasheet("870 EVO random 4 KiB write IOPS", run(k870Evo, false, false, 1, 200000).requests_per_second,
                   88000);
}

TEST(SsdProfiles, Samsung970EvoPlusSequentialRead) {
  expect_datasheet("970 EVO Plus sequential read MB/s",
                   run(k970EvoPlus, true, true, 1, 20000).bytes_per_second / 1e6, 3500);
}
TEST(SsdProfiles, Samsung970EvoPlusSequentialWrite) {
  // The link (3.5 GB/s) outruns the flash (3.3 GB/s) only a little, so the 64 MiB DRAM cache takes
  // about 1.2 GB to fill; 60000 x 128 KiB puts the measured window (from 1.6 GB on) after that.
  expect_datasheet("970 EVO Plus sequential write MB/s",
                   run(k970EvoPlus, false, true, 1, 60000).bytes_per_second / 1e6, 3300);
}
TEST(SsdProfiles, Samsung970EvoPlusRandomRead) {
  expect_datasheet("970 EVO Plus random 4 KiB read IOPS",
                   run(k970EvoPlus, true, false, 4, 100000).requests_per_second, 600000);
}
TEST(SsdProfiles, Samsung970EvoPlusRandomWrite) {
  expect_datasheet("970 EVO Plus random 4 KiB write IOPS",
                   run(k970EvoPlus, false, false, 4, 100000).requests_per_second, 550000);
}

}  // namespace
}  // namespace blocksim
