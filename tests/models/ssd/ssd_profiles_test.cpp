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

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/models/ssd/steady_rate.hpp"
#include "tests/support/recording_sink.hpp"

namespace blocksim {
namespace {

constexpr const char* k870Evo = "scenarios/profiles/samsung-870-evo-1tb.textproto";
constexpr const char* k970EvoPlus = "scenarios/profiles/samsung-970-evo-plus-1tb.textproto";
constexpr const char* kP4500 = "scenarios/profiles/intel-dc-p4500-1tb.textproto";
constexpr const char* k870Qvo = "scenarios/profiles/samsung-870-qvo-1tb.textproto";

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

// The Samsung 870 QVO 1 TB, a SATA QLC drive with a 42 GB SLC cache (6 GB static + 36 GB
// dynamic), the 870 EVO's controller and 8 dies of 1 Tbit. FITTED (one parameter each): QD1 read
// (tR), QD32 read (command_time), QD32 write (write_command_time), the sequential write after the
// cache (QLC program_time). CHECK: sequential read and in-cache write (link-bound), QD1 write
// (its write-buffer latency is the 870 EVO's). The profile cites the sources.
TEST(SsdProfiles, Samsung870QvoSequentialRead) {
  expect_check("870 QVO sequential read MB/s", run(k870Qvo, true, true, 1, 20000).bytes_per_second / 1e6, 560);
}
TEST(SsdProfiles, Samsung870QvoSequentialWriteInTheCache) {
  // 2.6 GB, all in the SLC cache: 8 dies x 32 KiB / (40.96 us + 200 us) = 1,088 MB/s would be
  // the flash's rate, so the link (560 MB/s) bounds it.
  expect_check("870 QVO sequential write (SLC cache) MB/s", run(k870Qvo, false, true, 1, 20000).bytes_per_second / 1e6,
               530);
}
TEST(SsdProfiles, Samsung870QvoRandomRead) {
  expect_fitted("870 QVO random 4 KiB read QD32 IOPS", run(k870Qvo, true, false, 1, 200000).requests_per_second,
                98000);
}
TEST(SsdProfiles, Samsung870QvoRandomWrite) {
  expect_fitted("870 QVO random 4 KiB write QD32 IOPS", run(k870Qvo, false, false, 1, 200000).requests_per_second,
                88000);
}
TEST(SsdProfiles, Samsung870QvoQd1Read) {
  expect_fitted("870 QVO random 4 KiB read QD1 us", qd1_latency_us(k870Qvo, true), 1e6 / 11000);
}
TEST(SsdProfiles, Samsung870QvoQd1Write) {
  expect_check("870 QVO random 4 KiB write QD1 us", qd1_latency_us(k870Qvo, false), 1e6 / 35000);
}
// 50 GB of 128 KiB sequential writes at QD32 on a fresh drive: the first 42 GB go into the SLC
// cache at the link's rate, the rest directly to QLC at 8 x 128 KiB / (163.84 us + 12.94 ms) =
// 80.0 MB/s (the program time was FITTED to that). Where the rate falls is the cache's size, a
// parameter taken from the datasheet (6 + 36 GB), so it is not an independent check either: it is
// held to the hand calculation (whole SLC blocks of 384 pages x 4 units, at most two blocks a plane
// short), which shows the capacity rule gives the 1 TB drive's cache its datasheet size.
TEST(SsdProfiles, Samsung870QvoAfterTheSlcCache) {
  const double request = 128 * 1024;
  std::vector<CompletionRecord> done =
      records(k870Qvo, false, true, 1, static_cast<std::uint64_t>(50e9 / request) + 1);
  std::sort(done.begin(), done.end(),
            [](const CompletionRecord& a, const CompletionRecord& b) { return a.complete < b.complete; });
  // Completion times at each 0.25 GB of data done.
  const double step = 0.25e9;
  std::vector<SimTime> at;
  double bytes = 0;
  for (const CompletionRecord& r : done) {
    bytes += static_cast<double>(r.bytes);
    while (static_cast<double>(at.size() + 1) * step <= bytes)
      at.push_back(r.complete);
  }
  ASSERT_GE(at.size(), 200u);  // 50 GB in steps of 0.25 GB: the windows below exist
  auto rate = [&](std::size_t from, std::size_t to) {  // MB/s between at[from] and at[to]
    return static_cast<double>(to - from) * step / (static_cast<double>(at[to] - at[from]) * 1e-9) / 1e6;
  };
  // The first step whose rate is below the midway rate: where the cache ran out.
  std::size_t fall = 0;
  while (fall + 1 < at.size() && rate(fall, fall + 1) > (560 + 80) / 2.0)
    ++fall;
  const double fell_at = static_cast<double>(fall + 1) * step;
  const double slc_block = 384 * 16384.0;  // an SLC block: 1536 / 4 pages of 16 KiB
  const double cache_blocks = std::floor((6e9 + 36e9) / 4096 / (slc_block / 4096));
  std::printf("870 QVO: the rate fell at %.2f GB; cache by hand %.2f GB (%.0f SLC blocks)\n", fell_at / 1e9,
              cache_blocks * slc_block / 1e9, cache_blocks);
  EXPECT_LE(fell_at, cache_blocks * slc_block + 64.0 * 1024 * 1024 + step);  // + the DRAM cache
  EXPECT_GE(fell_at, (cache_blocks - 2 * 16) * slc_block - step);
  const double after = rate(at.size() - 21, at.size() - 1);
  expect_fitted("870 QVO sequential write after the SLC cache (45-50 GB) MB/s", after, 80);
  const double die = 2 * 4 * 16384.0;  // a QLC one-shot program: 4 pages on each of 2 planes
  const double by_hand = 8 * die / (die / 800e6 + 12.94e-3) / 1e6;
  std::printf("870 QVO after the cache: model %.2f MB/s, hand calculation %.2f MB/s\n", after, by_hand);
  EXPECT_NEAR(after / by_hand, 1.0, 0.01);
  expect_check("870 QVO sequential write in the SLC cache (0.25-40 GB) MB/s", rate(0, 159), 530);
}

// The Intel DC P4500 1.0 TB, an enterprise NVMe TLC drive with power-loss protection, against the
// Lenovo product guide's table (the profile cites it). FITTED: the QD1 random read (tR), the QD1
// random write (write_buffer_latency), the sequential write (program_time), the 4.0 TB drive's
// random read (command_time, the controller's ceiling). CHECK: the 1.0 TB and 2.0 TB random
// reads, which follow from tR and the die count (24 dies of 384 Gbit at 1.0 TB, 48 at 2.0 TB; a
// drive of the series at another capacity is this profile with that capacity and dies), and the
// sequential read (link-bound). The guide gives no queue depth: the random reads run at 256
// (four jobs of 64), where 24 dies are kept busy.
std::string p4500_at(const char* capacity, int dies_per_channel, bool filled) {
  return std::string("device { name: \"d\" profile: \"") + kP4500 + "\" capacity: \"" + capacity +
         "\" ssd { nand { dies_per_channel: " + std::to_string(dies_per_channel) + " }" +
         (filled ? " precondition { fill: 1 }" : "") + " } }\n";
}
constexpr const char* k2Tb = "2000398934016";  // IDEMA for 2 TB and 4 TB
constexpr const char* k4Tb = "4000787030016";

std::vector<CompletionRecord> run_text(const std::string& device, const std::string& job, int jobs) {
  std::string text = "seed: 21\n" + device;
  for (int i = 0; i < jobs; ++i)
    text += "workload { job { " + job + " } }\n";
  return testing::run_and_record(text);
}

double mean_latency_us(const std::vector<CompletionRecord>& done) {
  double total = 0;
  for (const auto& r : done)
    total += static_cast<double>(r.complete - r.submit);
  return total / static_cast<double>(done.size()) / 1e3;
}

constexpr const char* kRandomReadQd64 =
    "read_fraction: 1 block_size: \"4KiB\" closed { queue_depth: 64 } requests: 50000";

// One simulation a test: SimGrid allows one engine per process.
TEST(SsdProfiles, IntelP4500RandomRead) {
  // Die-bound: 24 / (tR 76.1 us + 4 KiB over a 667 MB/s channel 6.14 us) = 291,700 IOPS at most.
  const double iops = testing::steady_rate(run_text(p4500_at("1000204886016", 2, true), kRandomReadQd64, 4))
                          .requests_per_second;
  expect_check("P4500 1.0 TB random 4 KiB read QD256 IOPS", iops, 279500);
}
TEST(SsdProfiles, IntelP4500SequentialRead) {
  // Link-bound: PCIe 3.0 x4's achievable 3.5 GB/s (model-facts.md §4.2); Intel gives 3.2.
  expect_check("P4500 1.0 TB sequential read MB/s", run(kP4500, true, true, 1, 20000).bytes_per_second / 1e6, 3200);
}
TEST(SsdProfiles, IntelP4500SequentialWrite) {
  expect_fitted("P4500 1.0 TB sequential write MB/s", run(kP4500, false, true, 1, 20000).bytes_per_second / 1e6,
                600);
}
TEST(SsdProfiles, IntelP4500Qd1Read) {
  expect_fitted("P4500 1.0 TB random 4 KiB read QD1 us", qd1_latency_us(kP4500, true), 85);
}
TEST(SsdProfiles, IntelP4500Qd1Write) {
  expect_fitted("P4500 1.0 TB random 4 KiB write QD1 us", qd1_latency_us(kP4500, false), 20);
}
// Intel's sequential QD1 latencies (10 us read, 13 us write) are not reproduced: its sequential
// reads come from read-ahead, which the model does not have (every 4 KiB reads the flash), and its
// write path does not depend on the address. The runs check that the model gives what the hand
// calculation of its random path gives (read: 1.55 + 76.1 + 6.14 + 1.17 us; write: 1.55 + 17.3 +
// 1.17 us) and report the miss.
TEST(SsdProfiles, IntelP4500SequentialQd1Read) {
  const char* job = "read_fraction: 1 pattern: SEQUENTIAL block_size: \"4KiB\" closed { queue_depth: 1 } requests: 20000";
  const double us = mean_latency_us(run_text(p4500_at("1000204886016", 2, true), job, 1));
  EXPECT_NEAR(us, 1.55 + 76.1 + 4096 / 667e6 * 1e6 + 4096 / 3.5e9 * 1e6, 0.1);
  std::printf("REPORTED P4500 sequential 4 KiB read QD1 us: model %.1f, Intel %.1f (%+.1f %%)\n", us, 10.0,
              100 * (us / 10 - 1));
}
TEST(SsdProfiles, IntelP4500SequentialQd1Write) {
  const char* job = "read_fraction: 0 pattern: SEQUENTIAL block_size: \"4KiB\" closed { queue_depth: 1 } requests: 20000";
  const double us = mean_latency_us(run_text(p4500_at("1000204886016", 2, false), job, 1));
  EXPECT_NEAR(us, 1.55 + 17.3 + 4096 / 3.5e9 * 1e6, 0.1);
  std::printf("REPORTED P4500 sequential 4 KiB write QD1 us: model %.1f, Intel %.1f (%+.1f %%)\n", us, 13.0,
              100 * (us / 13 - 1));
}
TEST(SsdProfiles, IntelP4500At4Tb) {
  // The 4.0 TB drive's random read set the firmware time (1 / 645,000): FITTED. Its 96 dies would
  // allow 1.17 M IOPS, so the controller bounds it.
  expect_fitted("P4500 4.0 TB (96 dies) random 4 KiB read QD256 IOPS",
                testing::steady_rate(run_text(p4500_at(k4Tb, 8, true), kRandomReadQd64, 4)).requests_per_second,
                645000);
}
TEST(SsdProfiles, IntelP4500At2Tb) {
  // The 2.0 TB drive: 48 dies allow 583,000 IOPS and the controller 645,000; both queues limit it.
  expect_check("P4500 2.0 TB (48 dies) random 4 KiB read QD256 IOPS",
               testing::steady_rate(run_text(p4500_at(k2Tb, 4, true), kRandomReadQd64, 4)).requests_per_second,
               490000);
}

// 70/30 mixed random 4 KiB at queue depth 32, one job, on a filled drive (its writes go to the
// spare room, so no garbage collection runs in the measured window): the total IOPS. None of the
// three datasheets (nor KitGuru, PCWorld, AnandTech or the Lenovo guide) gives a 70/30 figure at
// QD32, so the model's figures are checked against hand calculations only. The 870 EVO's
// controller bounds it, one command at a time, at 1 / (0.7 x 10.2 us + 0.3 x 11.4 us) = 94,697
// IOPS (its 16 dies would allow 270,000 reads a second): checked within 10 %. The 970 EVO Plus's
// and the P4500's are reported, and held under their controllers' bound (970: 1 / (0.7 x 1.6 us +
// 0.3 x 1.8 us) = 602,410; P4500: 1 / 1.55 us = 645,161) and, for the P4500, under its dies' bound
// on the reads (291,700 / 0.7 = 416,700).
double mixed_70_30_iops(const std::string& device) {
  const char* job = "read_fraction: 0.7 block_size: \"4KiB\" closed { queue_depth: 32 } requests: 200000";
  return testing::steady_rate(run_text(device, job, 1)).requests_per_second;
}
std::string filled(const char* profile) {
  return std::string("device { name: \"d\" profile: \"") + profile + "\" ssd { precondition { fill: 1 } } }\n";
}

TEST(SsdProfiles, Samsung870EvoMixed70_30) {
  expect_check("870 EVO 70/30 random 4 KiB QD32 IOPS against the hand calculation (controller bound)",
               mixed_70_30_iops(filled(k870Evo)), 1 / (0.7 * 10.2e-6 + 0.3 * 11.4e-6));
}
TEST(SsdProfiles, Samsung970EvoPlusMixed70_30) {
  const double iops = mixed_70_30_iops(filled(k970EvoPlus));
  std::printf("REPORTED 970 EVO Plus 70/30 random 4 KiB QD32 IOPS: model %.0f (no published figure)\n", iops);
  EXPECT_LE(iops, 1 / (0.7 * 1.6e-6 + 0.3 * 1.8e-6));
}
TEST(SsdProfiles, IntelP4500Mixed70_30) {
  const double iops = mixed_70_30_iops(filled(kP4500));
  std::printf("REPORTED P4500 1.0 TB 70/30 random 4 KiB QD32 IOPS: model %.0f (no published figure)\n", iops);
  EXPECT_LE(iops, std::min(1 / 1.55e-6, 24 / ((76.1 + 4096 / 667e6 * 1e6) * 1e-6) / 0.7));
}

}  // namespace
}  // namespace blocksim
