// Saturated throughput against the analytic bound of the configuration (model-facts.md §4.2): the
// least of the host link, the channels and the dies' read or program parallelism, worked out
// here from the configuration's numbers. A die is held for tR (or tPROG) and for its own
// transfers; a channel only for transfers:
//   sequential read  <= min(link, C min(R, W P S / (tR + P t_x(S))))
//   random read (4K) <= min(link / 4K, C min(R / 4K, W / (tR + t_x(4K))))          [IOPS]
//   program          <= min(link, C min(R, W P U_p S / (tPROG + P U_p t_x(S))))
// C channels, W dies per channel, P planes, S page bytes, U_p pages per program, R channel
// bytes/s, t_x(n) = n / R. Each case makes one term the least and must match it within 3 %.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "tests/models/ssd/steady_rate.hpp"
#include "tests/support/recording_sink.hpp"

namespace blocksim {
namespace {

struct Nand {
  int channels = 4;
  int dies = 2;  // per channel
  int planes = 2;
  double page = 16384;
  int pages_per_program = 3;  // TLC preset
  double read_s = 74e-6;      // TLC preset
  double program_s = 1900e-6;
  double channel = 800e6;
  double link = 8e9;
  int queue_depth = 64;
};

std::string scenario(const Nand& n, const std::string& job) {
  char text[1024];
  std::snprintf(text, sizeof text, R"(
    seed: 9
    device {
      capacity: "8GiB" block_size: "4KiB" interface_rate: "%.0fB/s"
      ssd {
        controller { max_commands: 1024 }
        nand { channels: %d dies_per_channel: %d planes_per_die: %d page_size: "16KiB" pages_per_block: 192
               read_time: "%.0fns" program_time: "%.0fns" channel_rate: "%.0fB/s" }
        precondition { fill: 1 }
      }
    }
    workload { job { %s closed { queue_depth: %d } } })",
                n.link, n.channels, n.dies, n.planes, n.read_s * 1e9, n.program_s * 1e9, n.channel, job.c_str(),
                n.queue_depth);
  return text;
}

// For writes: a fresh device, so that no garbage collection runs.
std::string fresh(std::string text) {
  const auto at = text.find("precondition { fill: 1 }");
  return text.erase(at, std::string("precondition { fill: 1 }").size());
}

double sequential_read_bound(const Nand& n) {
  const double die = n.dies * n.planes * n.page / (n.read_s + n.planes * n.page / n.channel);
  return std::min(n.link, n.channels * std::min(n.channel, die));
}

double random_read_bound_iops(const Nand& n) {
  const double request = 4096;
  const double die = n.dies / (n.read_s + request / n.channel);
  return std::min(n.link / request, n.channels * std::min(n.channel / request, die));
}

double program_bound(const Nand& n) {
  const double unit = n.planes * n.pages_per_program * n.page;
  const double die = n.dies * unit / (n.program_s + unit / n.channel);
  return std::min(n.link, n.channels * std::min(n.channel, die));
}

void expect_close(const char* what, double measured, double bound) {
  std::printf("%s: measured %.1f, analytic bound %.1f (%+.2f %%)\n", what, measured, bound,
              100 * (measured / bound - 1));
  EXPECT_NEAR(measured / bound, 1.0, 0.03) << what;
}

double sequential_read(const Nand& n) {
  const auto records = testing::run_and_record(
      scenario(n, R"(pattern: SEQUENTIAL block_size: "128KiB" requests: 20000)"));
  return testing::steady_rate(records).bytes_per_second;
}

TEST(SsdThroughput, SequentialReadMeetsTheDieBound) {
  Nand n;
  expect_close("sequential read, die-bound (MB/s)", sequential_read(n) / 1e6, sequential_read_bound(n) / 1e6);
}

TEST(SsdThroughput, SequentialReadMeetsTheChannelBound) {
  Nand n;
  n.channel = 200e6;  // the dies could give 275 MB/s a channel
  expect_close("sequential read, channel-bound (MB/s)", sequential_read(n) / 1e6, sequential_read_bound(n) / 1e6);
}

TEST(SsdThroughput, SequentialReadMeetsTheLinkBound) {
  Nand n;
  n.link = 1e9;
  expect_close("sequential read, link-bound (MB/s)", sequential_read(n) / 1e6, sequential_read_bound(n) / 1e6);
}

TEST(SsdThroughput, RandomReadMeetsTheDieBound) {
  Nand n;
  n.queue_depth = 512;  // 64 a die: a die is seldom without a read waiting
  const auto records = testing::run_and_record(scenario(n, R"(block_size: "4KiB" requests: 400000)"));
  expect_close("random 4 KiB read, die-bound (IOPS)", testing::steady_rate(records).requests_per_second,
               random_read_bound_iops(n));
}

TEST(SsdThroughput, RandomReadMeetsTheChannelBound) {
  Nand n;
  n.dies = 4;
  n.channel = 100e6;  // (W - 1) t_x(4K) > tR: transfers, not dies, are the limit
  n.queue_depth = 512;
  const auto records = testing::run_and_record(scenario(n, R"(block_size: "4KiB" requests: 400000)"));
  expect_close("random 4 KiB read, channel-bound (IOPS)", testing::steady_rate(records).requests_per_second,
               random_read_bound_iops(n));
}

TEST(SsdThroughput, DieParallelismShowsInRandomReads) {
  // Four times the dies, four times the IOPS, while the dies are the limit.
  Nand n;
  n.dies = 4;
  n.queue_depth = 1024;
  const auto records = testing::run_and_record(scenario(n, R"(block_size: "4KiB" requests: 400000)"));
  expect_close("random 4 KiB read, 16 dies (IOPS)", testing::steady_rate(records).requests_per_second,
               random_read_bound_iops(n));
}

double sequential_write(const Nand& n) {
  const auto records = testing::run_and_record(
      fresh(scenario(n, R"(read_fraction: 0 pattern: SEQUENTIAL block_size: "128KiB" requests: 40000)")));
  return testing::steady_rate(records).bytes_per_second;
}

TEST(SsdThroughput, SequentialWriteMeetsTheDieProgramBound) {
  Nand n;
  expect_close("sequential write, die-bound (MB/s)", sequential_write(n) / 1e6, program_bound(n) / 1e6);
}

TEST(SsdThroughput, SequentialWriteMeetsTheChannelBound) {
  Nand n;
  n.program_s = 200e-6;
  n.channel = 100e6;  // the dies could program 166 MB/s a channel
  expect_close("sequential write, channel-bound (MB/s)", sequential_write(n) / 1e6, program_bound(n) / 1e6);
}

TEST(SsdThroughput, SequentialWriteMeetsTheLinkBound) {
  Nand n;
  n.link = 200e6;
  expect_close("sequential write, link-bound (MB/s)", sequential_write(n) / 1e6, program_bound(n) / 1e6);
}

TEST(SsdThroughput, RandomWriteMeetsTheDieProgramBound) {
  // The DRAM cache gathers random 4 KiB writes into whole program units, so without garbage
  // collection they go as fast as sequential ones (a little faster: the ~0.8 % of writes that
  // find their unit still dirty in the 64 MiB cache never reach flash).
  Nand n;
  const auto records =
      testing::run_and_record(fresh(scenario(n, R"(read_fraction: 0 block_size: "4KiB" requests: 400000)")));
  expect_close("random 4 KiB write, die-bound (IOPS)", testing::steady_rate(records).requests_per_second,
               program_bound(n) / 4096);
}

}  // namespace
}  // namespace blocksim
