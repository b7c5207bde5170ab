// The real traces in data/traces (and UMass Financial1 from ../shared/data/traces when there) replay on the SSD model without error: every request
// completes, successfully. The traces go through the project's trace replay (a scenario workload
// `replay { ... }`, docs/replay.md), open loop at their recorded times, every trace device onto
// one SSD: the 970 EVO Plus profile, whose 512-byte blocks are the traces' sector size (partly
// written 4 KiB units merge in the cache, and take the read-modify-write path when programmed
// partial), preconditioned full so that reads reach the flash.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/support/outside_data.hpp"
#include "tests/support/recording_sink.hpp"

namespace blocksim {
namespace {

void replay(const std::string& folder, const std::string& trace, const std::string& format, std::size_t expected_requests) {
  const std::string text = R"(
    seed: 1
    device {
      name: "ssd"
      profile: "scenarios/profiles/samsung-970-evo-plus-1tb.textproto"
      block_size: "512"
      ssd { precondition { fill: 1 } }
    }
    workload { replay { path: ")" + folder + trace + R"(" format: ")" + format + R"(" } })";
  const LoadedScenario loaded = testing::scenario_from_text(text);
  Simulation simulation(loaded, {});
  testing::RecordingSink sink;
  simulation.add_observer(&sink);
  simulation.run();
  // The device's own completions (the driver above records each request too).
  sink.records = testing::at_layer(sink.records, Layer::kDevice);
  std::size_t failed = 0;
  for (const auto& record : sink.records)
    failed += record.status != kIOReturnSuccess;
  double rmw = 0;
  for (const auto& metric : simulation.metrics())
    if (metric.name == "ssd.ssd.read_modify_writes")
      rmw = metric.value;
  std::printf("%s: %zu requests completed, %zu failed, simulated %.3f s, %.0f read-modify-writes\n", trace.c_str(),
              sink.records.size(), failed, static_cast<double>(simulation.end_time()) * 1e-9, rmw);
  EXPECT_EQ(sink.records.size(), expected_requests);
  EXPECT_EQ(failed, 0u);
  EXPECT_EQ(simulation.requests_failed(), 0u);
}

TEST(SsdTraceReplay, MqsimTpcc) { replay("data/traces/", "mqsim-tpcc-small.trace", "mqsim", 6999); }
TEST(SsdTraceReplay, MqsimWebSearch) { replay("data/traces/", "mqsim-wsrch-small.trace", "mqsim", 24783); }
// Financial1 as SSDsim ships it: MQSim's layout (time_ns dev lba size op).
TEST(SsdTraceReplay, UmassFinancialInSsdsimLayout) {
  BLOCKSIM_REQUIRE_OUTSIDE_DATA("traces/umass-financial1-first10k.ascii");
  replay("../shared/data/traces/", "umass-financial1-first10k.ascii", "mqsim", 10000);
}
TEST(SsdTraceReplay, DisksimAscii) { replay("data/traces/", "disksim-ascii-100k.trace", "disksim-ascii", 100000); }

}  // namespace
}  // namespace blocksim
