// The SLC cache (ssd.slc_cache; docs/ssd.md, "SLC cache") against figures worked out here:
// - the 970 EVO Plus profile's sequential write, 60 GB of 128 KiB at QD32 on a fresh drive: the
//   rate in the first 20 GB and after 50 GB against the datasheet's 3,300 and 1,700 MB/s
//   (model-facts.md §5.2) within 10 %, and against the hand calculation of the die cycle within 1 %
//   (the SLC program time was FITTED to 3,300 MB/s; the after-cache rate is a CHECK: the TLC
//   program time is the NAND preset's);
// - folding: its time on a one-die device exactly, and its rate on the 970 EVO Plus within 2 % of
//   the hand calculation of a die's fold cycle;
// - the SLC read time; the cache's capacity as the drive fills (static + min(dynamic, unwritten
//   / bits)) and what a write into the last free space does with it; the counters adding up; the
//   map consistent across folding; a nearly full small drive (tests/python/test_ssd.py's) stays
//   live.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "models/ssd/preconditioner.hpp"
#include "tests/models/ssd/ftl_invariants.hpp"
#include "tests/models/ssd/ssd_rig.hpp"

namespace blocksim {
namespace {

proto::Device profile_970() {
  std::ifstream in(std::string(BLOCKSIM_SOURCE_DIR) + "/scenarios/profiles/samsung-970-evo-plus-1tb.textproto");
  std::stringstream text;
  text << in.rdbuf();
  proto::Device device = testing::parse_device(text.str());
  device.clear_power();
  return device;
}

std::map<std::string, double> metrics(const SsdDeviceModel& device) {
  std::vector<DeviceMetric> out;
  device.collect_metrics(&out);
  std::map<std::string, double> by_name;
  for (const DeviceMetric& m : out)
    by_name[m.name] = m.value;
  return by_name;
}

// The completion time at which `bytes` had completed, from completions sorted by time.
SimTime time_at(const std::vector<CompletionRecord>& sorted, double bytes) {
  double done = 0;
  for (const CompletionRecord& r : sorted) {
    done += static_cast<double>(r.bytes);
    if (done >= bytes)
      return r.complete;
  }
  return sorted.back().complete;
}

void expect_near_ratio(const char* what, double measured, double reference, double tolerance) {
  std::printf("%s: model %.1f, reference %.1f (%+.2f %%)\n", what, measured, reference,
              100 * (measured / reference - 1));
  EXPECT_NEAR(measured / reference, 1.0, tolerance) << what;
}

// The 970 EVO Plus's NAND (its profile): 32 dies of 2 planes, 16 KiB pages, 800 MB/s channels.
constexpr double kDies = 32, kPage = 16384, kChannel = 800e6;
constexpr double kSlcProgram = 277e-6, kTlcProgram = 1900e-6, kSlcRead = 25e-6, kErase = 15e-3;

TEST(SsdSlcCache, SixtyGigabytesOnAFresh970EvoPlus) {
  testing::SsdRig rig(profile_970(), "3.5GB/s");
  const std::uint64_t request = 128 * 1024;
  const auto count = static_cast<std::uint64_t>(60e9 / request) + 1;
  rig.sequential_io(true, 0, request, count, 32);
  std::vector<CompletionRecord> done = rig.records();
  std::sort(done.begin(), done.end(),
            [](const CompletionRecord& a, const CompletionRecord& b) { return a.complete < b.complete; });
  const double first = 20e9 / (static_cast<double>(time_at(done, 20e9)) * 1e-9);
  const double after = 10e9 / (static_cast<double>(time_at(done, 60e9) - time_at(done, 50e9)) * 1e-9);

  // Hand calculation: a die's program cycle is its transfer over the channel then tPROG (four
  // dies share a channel, busy 4 x t_x < the cycle, so none waits for long). An SLC program
  // writes one page a plane (2 x 16 KiB); a TLC one-shot program three (2 x 48 KiB).
  const double slc_die = 2 * kPage, tlc_die = 6 * kPage;
  const double slc_rate = kDies * slc_die / (slc_die / kChannel + kSlcProgram);  // 3,297.8 MB/s
  const double tlc_rate = kDies * tlc_die / (tlc_die / kChannel + kTlcProgram);  // 1,555.1 MB/s
  expect_near_ratio("FITTED first 20 GB MB/s vs datasheet", first / 1e6, 3300, 0.10);
  expect_near_ratio("CHECK after 50 GB MB/s vs datasheet", after / 1e6, 1700, 0.10);
  expect_near_ratio("first 20 GB MB/s vs hand calculation", first / 1e6, slc_rate / 1e6, 0.01);
  expect_near_ratio("after 50 GB MB/s vs hand calculation", after / 1e6, tlc_rate / 1e6, 0.01);

  // The cache held 42 GB (6 + 36) before writes went direct: SLC blocks of 192 pages x 4 units.
  auto m = metrics(rig.device());
  const double unit = 4096, slc_block = 192 * 4;
  const double capacity_blocks = std::floor(std::floor(6e9 / unit + 36e9 / unit) / slc_block);
  std::printf("SLC host units %.0f (cache %.0f blocks = %.0f units), direct %.0f, folded %.0f, direct time %.3f s\n",
              m["ssd.slc_host_units"], capacity_blocks, capacity_blocks * slc_block, m["ssd.slc_direct_units"],
              m["ssd.slc_folded_units"], m["ssd.slc_direct_time_ns"] * 1e-9);
  EXPECT_LE(m["ssd.slc_host_units"], capacity_blocks * slc_block);
  EXPECT_GE(m["ssd.slc_host_units"], (capacity_blocks - 2 * 64) * slc_block);  // at most two blocks a plane short
  EXPECT_EQ(m["ssd.slc_host_units"] + m["ssd.slc_direct_units"],
            static_cast<double>(rig.device().ftl().counters().host_slots));
  EXPECT_EQ(m["ssd.host_units_written"], static_cast<double>(count * request / 4096));
  // Nothing folds while the writes go on (no idle time, no shortage of blocks, the capacity never
  // shrinks on an empty drive): at most the one idle round (an SLC block on each of the 64
  // planes) that starts 1 ms after the first dies run out of host data, while the last programs
  // end, and that finishes before the run does.
  EXPECT_LE(m["ssd.slc_folded_units"], 64 * slc_block);
  // Direct from the moment the cache filled to the end: the direct units at the direct rate.
  expect_near_ratio("time direct s vs direct units at the TLC rate", m["ssd.slc_direct_time_ns"] * 1e-9,
                    m["ssd.slc_direct_units"] * unit / tlc_rate, 0.02);
}

// One channel, one die, two planes: every time is exact. A TLC block of 18 pages is an SLC
// block of 6 (24 units of 4 KiB); a die's TLC program takes 2 x 3 pages = 24 units. The DRAM
// cache holds 48 units, so that early units are read from flash.
constexpr const char* kOneDie = R"(
  capacity: "64MiB" block_size: "512"
  ssd {
    nand { cell: TLC channels: 1 dies_per_channel: 1 planes_per_die: 2 pages_per_block: 18 page_size: "16KiB"
           read_time: "50us" program_time: "1ms" erase_time: "3ms" channel_rate: "400MB/s" }
    slc_cache { static_capacity: "1MiB" dynamic_capacity: "4MiB" program_time: "200us" read_time: "20us"
                idle_fold_delay: "2ms" }
    cache { capacity: "192KiB" }
  })";

SimTime ns(double seconds) { return static_cast<SimTime>(seconds * 1e9 + 0.5); }

TEST(SsdSlcCache, FoldingTakesTheHandCalculatedTimeAndKeepsTheMap) {
  testing::SsdRig rig(kOneDie);
  const ssd::SsdConfig& config = rig.device().ssd_config();
  ASSERT_EQ(config.slc.block_slots, 24u);
  ASSERT_EQ(config.slc.plane_program_slots, 4u);
  // Ten SLC blocks, five on each plane: 240 units written in 96 KiB requests, then a flush.
  for (int i = 0; i < 10; ++i)
    rig.transfer(true, static_cast<std::uint64_t>(i) * 192, 192, nullptr);
  rig.synchronize();
  const SimTime t0 = rig.engine().now();  // the last SLC program ended: the die is idle
  auto m = metrics(rig.device());
  EXPECT_EQ(m["ssd.slc_host_units"], 240);
  EXPECT_EQ(m["ssd.slc_direct_units"], 0);
  EXPECT_EQ(m["ssd.slc_blocks"], 10);

  // A read of a unit in SLC: SLC tR, 4 KiB over the channel, 4 KiB over the 8 GB/s link.
  rig.transfer(false, 8, 8, nullptr);
  const CompletionRecord& slc_read = rig.records().back();
  EXPECT_EQ(slc_read.complete - slc_read.submit, ns(20e-6) + ns(4096 / 400e6) + ns(4096 / 8e9));
  EXPECT_EQ(metrics(rig.device())["ssd.slc_page_reads"], 1);

  // Folding starts idle_fold_delay after the die went idle. A die folds its two planes' oldest
  // SLC blocks together: 6 two-plane reads (SLC tR + 32 KiB on the channel), 48 units in two
  // TLC programs (96 KiB on the channel + tPROG), two erases.
  const SimTime pair = 6 * (ns(20e-6) + ns(32768 / 400e6)) + 2 * (ns(98304 / 400e6) + ns(1e-3)) + 2 * ns(3e-3);
  const SimTime end = t0 + ns(2e-3) + 5 * pair;  // 45.515 ms of folding
  rig.engine().run_until(end - 1);
  EXPECT_EQ(metrics(rig.device())["ssd.slc_folds"], 9) << "the last erase ends at the hand-calculated time";
  rig.engine().run_until(end);
  m = metrics(rig.device());
  EXPECT_EQ(m["ssd.slc_folds"], 10);
  EXPECT_EQ(m["ssd.slc_idle_folds"], 10);
  EXPECT_EQ(m["ssd.slc_folded_units"], 240);
  EXPECT_EQ(m["ssd.slc_blocks"], 0);
  EXPECT_EQ(m["ssd.gc_units_moved"], 240);
  EXPECT_EQ(m["ssd.erases"], 10);
  std::printf("fold of 10 SLC blocks (960 KiB): %.3f ms, %.1f MB/s\n", 5 * pair * 1e-6,
              240 * 4096 / (5 * pair * 1e-9) / 1e6);

  // Every unit still maps to its own slot, now in a native block; reads pay the TLC tR.
  testing::expect_consistent(rig.device().ftl());
  for (std::uint32_t lpn = 0; lpn < 240; ++lpn) {
    const std::uint32_t psn = rig.device().ftl().lookup(lpn);
    ASSERT_NE(psn, ssd::kNoSlot);
    EXPECT_FALSE(rig.device().ftl().is_slc(psn));
  }
  rig.transfer(false, 8, 8, nullptr);
  const CompletionRecord& tlc_read = rig.records().back();
  EXPECT_EQ(tlc_read.complete - tlc_read.submit, ns(50e-6) + ns(4096 / 400e6) + ns(4096 / 8e9));
}

TEST(SsdSlcCache, FoldRateOn970EvoPlus) {
  proto::Device device = profile_970();
  testing::SsdRig rig(device, "3.5GB/s");
  rig.sequential_io(true, 0, 128 * 1024, 16000, 32);  // 2.1 GB: about 10 SLC blocks a plane
  rig.synchronize();  // what is left in DRAM, less than a program, goes to flash
  const SimTime t0 = rig.engine().now();
  // Hand calculation of one die's fold of its two planes' oldest SLC blocks (768 units each),
  // the planes in step: 192 two-plane reads, 1,536 units in 64 TLC programs of 24 (96 KiB on the
  // channel + tPROG), two erases. Every die starts at once and reads its whole victims first
  // (reads go before programs), so the four dies of a channel read together: a read cycle is
  // the longer of the die's (SLC tR + 32 KiB on the channel, 65.96 us) and the channel's (four
  // dies' 32 KiB, 163.84 us): channel-bound. The programs are die-bound (4 x 122.88 us on the
  // channel < 2,022.88 us). 190.9 ms for 6 MiB a die.
  const double read_cycle = std::max(kSlcRead + 2 * kPage / kChannel, 4 * 2 * kPage / kChannel);
  const double cycle = 192 * read_cycle + 64 * (6 * kPage / kChannel + kTlcProgram) + 2 * kErase;
  const double hand_rate = kDies * 2 * 768 * 4096 / cycle;  // 1,054.5 MB/s
  // Five such cycles on every die: 320 folds. Measured: the time the last die finishes them.
  const SimTime start = t0 + ns(1e-3);  // the profile's idle_fold_delay
  SimTime when = start;
  while (rig.device().collector().counters().folds < 320 && when < start + ns(10 * cycle)) {
    when += 100'000;
    rig.engine().run_until(when);
  }
  const double measured = kDies * 5 * 2 * 768 * 4096 / (static_cast<double>(when - start) * 1e-9);
  expect_near_ratio("fold rate MB/s vs hand calculation", measured / 1e6, hand_rate / 1e6, 0.02);
}

// The capacity rule, without time: static + min(dynamic, unwritten units / 3), the static part
// held to a sixth of the spare beyond GC's reserve.
TEST(SsdSlcCache, CapacityShrinksAsTheDriveFills) {
  proto::Device device = profile_970();
  device.set_capacity("64GB");
  testing::check_device(device);
  const ssd::SsdConfig config = ssd::resolve_ssd_config(device);
  const ssd::SsdGeometry& g = config.geometry;
  const double logical = 64e9 / 4096;
  ASSERT_EQ(g.logical_units, static_cast<std::uint64_t>(logical));
  // Blocks per plane: the capacity x 1.0995 over 64 planes of 2,304-unit blocks, plus 4 for GC.
  const double blocks_per_plane = std::ceil(std::ceil(logical * 1.0995) / (64 * 2304)) + 4;
  ASSERT_EQ(g.blocks_per_plane, blocks_per_plane);
  const double spare = (blocks_per_plane - 4) * 64 * 2304 - logical;
  const double static_units = std::min(std::floor(6e9 / 4096), std::floor(spare / 6));
  EXPECT_EQ(static_cast<double>(config.slc.static_units), static_units) << "6 GB asked, a sixth of the spare allowed";
  const double dynamic_units = std::floor(36e9 / 4096);
  for (double fill : {0.0, 0.5, 0.9, 0.99, 1.0}) {
    ssd::Ftl ftl(g, config.gc);
    ftl.enable_slc(config.slc);
    Rng rng(1, 1);
    ssd::precondition(ftl, fill, 0, rng);
    const double unwritten = logical - std::floor(fill * logical);
    const double expected = static_units + std::min(dynamic_units, std::floor(unwritten / 3));
    EXPECT_EQ(static_cast<double>(ftl.slc_capacity_units()), expected) << "fill " << fill;
  }
}

// A drive 90 % full takes its last 10 % in sequential writes: the cache fills while the data in
// it still counts as written, X = S + (U - X) / 3 units (S static, U unwritten at the start), so
// X = (3S + U) / 4; then writes go direct and, as the unwritten space runs out, the dynamic part
// shrinks to nothing and the cache folds down to its static part while the writes go on.
TEST(SsdSlcCache, WritingTheLastFreeSpaceFoldsTheCacheDownToItsStaticPart) {
  proto::Device device = profile_970();
  device.set_capacity("64GB");
  device.mutable_ssd()->mutable_precondition()->set_fill(0.9);
  testing::SsdRig rig(device, "3.5GB/s");
  const ssd::SsdConfig& config = rig.device().ssd_config();
  const double logical = static_cast<double>(config.geometry.logical_units);
  const double filled = std::floor(0.9 * logical);
  const double unwritten = logical - filled;
  const double static_units = static_cast<double>(config.slc.static_units);
  const std::uint64_t request = 128 * 1024;
  const auto first_byte = static_cast<std::uint64_t>(std::ceil(filled * 4096 / request)) * request;
  const std::uint64_t count = (static_cast<std::uint64_t>(logical * 4096) - first_byte) / request;
  rig.sequential_io(true, first_byte, request, count, 32);
  rig.synchronize();
  auto m = metrics(rig.device());
  const double hits = (3 * static_units + unwritten) / 4;
  std::printf("SLC host units %.0f (hand %.0f), direct %.0f, folded %.0f, folds %.0f, blocks %.0f, capacity %.0f\n",
              m["ssd.slc_host_units"], hits, m["ssd.slc_direct_units"], m["ssd.slc_folded_units"], m["ssd.slc_folds"],
              m["ssd.slc_blocks"], m["ssd.slc_capacity_units"]);
  expect_near_ratio("units into the SLC cache vs (3S + U) / 4", m["ssd.slc_host_units"], hits, 0.02);
  const double unmapped_left = logical - static_cast<double>(rig.device().ftl().mapped_units());
  EXPECT_EQ(m["ssd.slc_capacity_units"], static_units + std::floor(unmapped_left / 3));
  EXPECT_GT(m["ssd.slc_folds"], 0);
  EXPECT_LE(m["ssd.slc_blocks"] * 768, m["ssd.slc_capacity_units"] + 64 * 768)
      << "folded down to the capacity (open blocks and folds in progress aside)";
  EXPECT_EQ(m["ssd.slc_host_units"] + m["ssd.slc_direct_units"],
            static_cast<double>(rig.device().ftl().counters().host_slots));
  testing::expect_consistent(rig.device().ftl());
}

// tests/python/test_ssd.py's drive: the 970 cut to 8 GB, filled, half overwritten at random, then
// random 4 KiB writes at QD32. The cache may hold only a sixth of the small spare, never a
// plane's last free blocks; every request completes and GC keeps the drive live.
TEST(SsdSlcCache, NearlyFullSmallDriveStaysLive) {
  proto::Device device = profile_970();
  device.set_capacity("8GB");
  device.mutable_ssd()->mutable_precondition()->set_fill(1);
  device.mutable_ssd()->mutable_precondition()->set_random_overwrites(0.5);
  testing::SsdRig rig(device, "3.5GB/s");
  rig.random_io(true, 0, 8'000'000'000ull, 4096, 40000, 32, 3);
  auto m = metrics(rig.device());
  std::printf("SLC host units %.0f, direct %.0f, folded %.0f, folds %.0f, gc runs %.0f, capacity %.0f units\n",
              m["ssd.slc_host_units"], m["ssd.slc_direct_units"], m["ssd.slc_folded_units"], m["ssd.slc_folds"],
              m["ssd.gc_runs"], m["ssd.slc_capacity_units"]);
  EXPECT_EQ(m["ssd.slc_host_units"] + m["ssd.slc_direct_units"],
            static_cast<double>(rig.device().ftl().counters().host_slots));
  EXPECT_LE(m["ssd.slc_capacity_units"], static_cast<double>(rig.device().ssd_config().slc.static_units));
  testing::expect_consistent(rig.device().ftl());
}

}  // namespace
}  // namespace blocksim
