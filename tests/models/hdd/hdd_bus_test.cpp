// The HDD's host interface as a shared bus: two hand-worked test drives (hdd_test_drive.hpp)
// streaming sequential reads over one 2 MB/s bus share its bandwidth, each getting about half of
// what it gets over a 2 MB/s bus of its own. The drives' media (200 sectors in 23 ms, 4.45 MB/s)
// outrun the bus, so the bus decides the pace; the read-ahead keeps each stream in the cache.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/models/hdd/hdd_test_drive.hpp"
#include "tests/support/recording_sink.hpp"

namespace blocksim {
namespace {

constexpr int kRequests = 1500;
constexpr double kMs = 1e6;

// Two test drives, d0 on `bus0` and d1 on `bus1`, each with a stream of sequential 4 KiB reads
// one at a time. Read-ahead restarts on hits, so a stream stays ahead of a slow bus.
std::string two_drives(const std::string& buses, const std::string& bus0, const std::string& bus1) {
  std::string text = buses;
  for (const auto& [name, bus] : {std::pair{std::string("d0"), bus0}, std::pair{std::string("d1"), bus1}}) {
    std::string device = testing::hdd_test_device("", "read_ahead_on_hit: true", name);
    const std::string rate = "interface_rate: \"100MB/s\"";
    device.replace(device.find(rate), rate.size(), "bus: \"" + bus + "\"");
    text += device + "workload { device: \"" + name +
            "\" job { read_fraction: 1 pattern: SEQUENTIAL block_size: \"4KiB\" requests: " +
            std::to_string(kRequests) + " } }\n";
  }
  return text;
}

struct Stream {
  double mean_ns = 0;   // mean latency of a read
  double bytes_per_s = 0;
};

// Per device, in the order d0, d1.
std::vector<Stream> streams(const std::vector<CompletionRecord>& records) {
  std::vector<Stream> out(2);
  std::vector<double> last(2, 0), count(2, 0);
  for (const auto& r : records) {
    out[r.device].mean_ns += static_cast<double>(r.complete - r.submit);
    last[r.device] = std::max(last[r.device], static_cast<double>(r.complete));
    ++count[r.device];
  }
  for (std::size_t d = 0; d < 2; ++d) {
    out[d].mean_ns /= count[d];
    out[d].bytes_per_s = count[d] * 4096 / (last[d] * 1e-9);
  }
  return out;
}

// One engine per process: each case runs one scenario; the figures are worked out by hand.
TEST(HddBus, EachDriveOnABusOfItsOwnMovesAtTheBussRate) {
  // 0.1 ms command overhead, then 4096 B at 2 MB/s (2.048 ms), while the media stays ahead:
  // 2.148 ms a read, 1.907 MB/s.
  const auto own = streams(testing::run_and_record(
      two_drives("bus { name: \"a\" bandwidth: \"2MB/s\" } bus { name: \"b\" bandwidth: \"2MB/s\" }", "a", "b")));
  for (const auto& s : own) {
    EXPECT_NEAR(s.mean_ns, 2.148 * kMs, 0.05 * 2.148 * kMs);
    EXPECT_NEAR(s.bytes_per_s, 1.907e6, 0.05 * 1.907e6);
  }
}

TEST(HddBus, TwoDrivesOnOneBusShareItsBandwidth) {
  // Together they cannot move more than 2 MB/s, and lose at most the 0.1 ms overheads when both
  // process a command at once (4.096 ms of data in every 4.196 ms); each gets half of it, so a
  // read takes about 0.1 + 4096 B at 1 MB/s = 4.196 ms, twice what it takes alone.
  const auto shared = streams(testing::run_and_record(
      two_drives("bus { name: \"s\" bandwidth: \"2MB/s\" }", "s", "s")));
  const double total = shared[0].bytes_per_s + shared[1].bytes_per_s;
  EXPECT_LE(total, 2.0e6 * 1.001);
  EXPECT_GE(total, 2.0e6 * 4.096 / 4.196 * 0.98);
  EXPECT_NEAR(shared[0].bytes_per_s, shared[1].bytes_per_s, 0.05 * total);
  for (const auto& s : shared)
    EXPECT_NEAR(s.mean_ns, 4.196 * kMs, 0.05 * 4.196 * kMs);
}

}  // namespace
}  // namespace blocksim
