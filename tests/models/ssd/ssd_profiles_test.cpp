// The shipped profiles against their datasheets (model-facts.md §5) and reviews, within 10 %,
// each figure measured the way the datasheet states it: sequential 128 KiB at QD32, random 4 KiB
// at QD32 (the 970 EVO Plus at QD32 with 4 threads: four jobs of 32) and at QD1. Reads run on a
// preconditioned (filled) drive so that they reach the flash; writes on a fresh one, as
// datasheets measure.
// Each figure is one of two kinds, as the profile's comments say:
//   FITTED: a parameter was set from it (e.g. the firmware time from the QD32 rate). Asserted
//     only as a sanity check that the fit still holds; it says nothing about the model.
//   CHECK: no parameter was set from it: the model's prediction against an independent figure.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tests/models/ssd/steady_rate.hpp"
#include "tests/support/recording_sink.hpp"

namespace blocksim {
namespace {

constexpr const char* k870Evo = "scenarios/profiles/samsung-870-evo-1tb.textproto";
constexpr const char* k970EvoPlus = "scenarios/profiles/samsung-970-evo-plus-1tb.textproto";

std::vector<CompletionRecord> records(const char* profile, bool read, bool sequential, int jobs,
                                      std::uint64_t requests, int depth = 32) {
  std::string text = "seed: 21\ndevice { name: \"d\" profile: \"" + std::string(profile) + "\"" +
                     (read ? " ssd { precondition { fill: 1 } }" : "") + " }\n";
  for (int i = 0; i < jobs; ++i)
    text += std::string("workload { job { read_fraction: ") + (read ? "1" : "0") +
            (sequential ? " pattern: SEQUENTIAL block_size: \"128KiB\"" : " block_size: \"4KiB\"") +
            " closed { queue_depth: " + std::to_string(depth) + " } requests: " + std::to_string(requests) + " } }\n";
  return testing::run_and_record(text);
}

testing::SteadyRate run(const char* profile, bool read, bool sequential, int jobs, std::uint64_t requests) {
  return testing::steady_rate(records(profile, read, sequential, jobs, requests));
}

// Random 4 KiB at queue depth 1: the mean latency in microseconds.
double qd1_latency_us(const char* profile, bool read) {
  const std::vector<CompletionRecord> done = records(profile, read, false, 1, 20000, 1);
  double total = 0;
  for (const auto& r : done)
    total += static_cast<double>(r.complete - r.submit);
  return total / static_cast<double>(done.size()) / 1e3;
}

void expect_within(const char* kind, const char* what, double measured, double reference) {
  std::printf("%s %s: model %.1f, reference %.1f (%+.1f %%)\n", kind, what, measured, reference,
              100 * (measured / reference - 1));
  EXPECT_NEAR(measured / reference, 1.0, 0.10) << kind << " " << what;
}
void expect_fitted(const char* what, double measured, double reference) {
  expect_within("FITTED", what, measured, reference);
}
void expect_check(const char* what, double measured, double reference) {
  expect_within("CHECK", what, measured, reference);
}

TEST(SsdProfiles, Samsung870EvoSequentialRead) {
  // Link-bound: the interface rate is SATA's achievable rate (model-facts.md §4.2), not this figure.
  expect_check("870 EVO sequential read MB/s", run(k870Evo, true, true, 1, 20000).bytes_per_second / 1e6, 560);
}
TEST(SsdProfiles, Samsung870EvoSequentialWrite) {
  expect_check("870 EVO sequential write MB/s", run(k870Evo, false, true, 1, 20000).bytes_per_second / 1e6, 530);
}
TEST(SsdProfiles, Samsung870EvoRandomRead) {
  const double iops = run(k870Evo, true, false, 1, 200000).requests_per_second;
  expect_fitted("870 EVO random 4 KiB read QD32 IOPS (datasheet)", iops, 98000);
  expect_check("870 EVO random 4 KiB read QD32 IOPS (KitGuru, measured)", iops, 94003);
  expect_check("870 EVO random 4 KiB read QD32 IOPS (PCWorld, CrystalDiskMark 393 MB/s)", iops, 393e6 / 4096);
}
TEST(SsdProfiles, Samsung870EvoRandomWrite) {
  const double iops = run(k870Evo, false, false, 1, 200000).requests_per_second;
  expect_fitted("870 EVO random 4 KiB write QD32 IOPS (datasheet)", iops, 88000);
  expect_check("870 EVO random 4 KiB write QD32 IOPS (KitGuru, measured)", iops, 84058);
  expect_check("870 EVO random 4 KiB write QD32 IOPS (PCWorld, CrystalDiskMark 357 MB/s)", iops, 357e6 / 4096);
}

TEST(SsdProfiles, Samsung970EvoPlusSequentialRead) {
  // Link-bound: the interface rate is PCIe 3.0 x4's achievable rate (model-facts.md §4.2).
  expect_check("970 EVO Plus sequential read MB/s", run(k970EvoPlus, true, true, 1, 20000).bytes_per_second / 1e6,
               3500);
}
TEST(SsdProfiles, Samsung970EvoPlusSequentialWrite) {
  // The link (3.5 GB/s) outruns the flash (3.3 GB/s) only a little, so the 64 MiB DRAM cache takes
  // about 1.2 GB to fill; 60000 x 128 KiB puts the measured window (from 1.6 GB on) after that.
  // All of it (7.9 GB) goes into the 42 GB SLC cache, whose program time was set from this figure.
  // The rate after the cache (1,700 MB/s), a CHECK, takes 60 GB: ssd_slc_cache_test.cpp.
  expect_fitted("970 EVO Plus sequential write (SLC cache) MB/s",
                run(k970EvoPlus, false, true, 1, 60000).bytes_per_second / 1e6, 3300);
}
TEST(SsdProfiles, Samsung970EvoPlusRandomRead) {
  expect_fitted("970 EVO Plus random 4 KiB read QD32 x 4 IOPS",
                run(k970EvoPlus, true, false, 4, 100000).requests_per_second, 600000);
}
TEST(SsdProfiles, Samsung970EvoPlusRandomWrite) {
  expect_fitted("970 EVO Plus random 4 KiB write QD32 x 4 IOPS",
                run(k970EvoPlus, false, false, 4, 100000).requests_per_second, 550000);
}

// Queue depth 1: tR was set from the QD1 read figure (what it leaves after the firmware, channel
// and link times) and the write-buffer latency from the QD1 write figure (what it leaves after
// the firmware and link times), so both are FITTED here. The split itself is checked by hand
// calculation in ssd_controller_latency_test.cpp; what these runs add is that one parameter set
// now gives both the QD1 write latency and the QD32 rates above, which an all-in-sequence
// firmware time giving the same QD1 latency could not (20.46 us on the 870 and 15.5 us on the
// 970 would cap their QD32 writes near 48,900 and 64,500 IOPS).
TEST(SsdProfiles, Samsung870EvoQd1Read) {
  expect_fitted("870 EVO random 4 KiB read QD1 us", qd1_latency_us(k870Evo, true), 1e6 / 13000);
}
TEST(SsdProfiles, Samsung870EvoQd1Write) {
  const double us = qd1_latency_us(k870Evo, false);
  expect_fitted("870 EVO random 4 KiB write QD1 us", us, 1e6 / 36000);
  // Reported, not asserted: PCWorld's CrystalDiskMark 6 Q1T1 4 KiB random write, 126 MB/s
  // (30,762 IOPS, 32.5 us), goes through Windows' file system and driver, which add host time
  // the model does not have, and names neither the capacity nor the host.
  std::printf("REPORTED 870 EVO random 4 KiB write QD1 us: model %.1f, PCWorld %.1f (%+.1f %%)\n", us,
              4096 / 126e6 * 1e6, 100 * (us / (4096 / 126e6 * 1e6) - 1));
}
TEST(SsdProfiles, Samsung970EvoPlusQd1Read) {
  expect_fitted("970 EVO Plus random 4 KiB read QD1 us", qd1_latency_us(k970EvoPlus, true), 1e6 / 19000);
}
TEST(SsdProfiles, Samsung970EvoPlusQd1Write) {
  const double us = qd1_latency_us(k970EvoPlus, false);
  expect_fitted("970 EVO Plus random 4 KiB write QD1 us", us, 1e6 / 60000);
  // Reported, not asserted: KitGuru measured 163,140 IOPS (6.1 us) at QD1, 2.7 times the
  // datasheet's rate; the profile follows the datasheet (docs/ssd.md).
  std::printf("REPORTED 970 EVO Plus random 4 KiB write QD1 us: model %.1f, KitGuru %.1f (%+.1f %%)\n", us,
              1e6 / 163140, 100 * (us * 163140 / 1e6 - 1));
}

}  // namespace
}  // namespace blocksim
