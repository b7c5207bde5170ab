// Validate timing on the reference device: one request at a time, each issued at the previous
// completion plus the previous line's idle gap, and the comparison made on dispatch-to-completion
// at the device. Expected times are worked out by hand from the device's fixed service time and
// the bus rate.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "sim/trace/latency_comparison.hpp"
#include "sim/replay/replay_source.hpp"
#include "tests/support/recording_sink.hpp"
#include "tests/support/temp_file.hpp"

namespace blocksim {
namespace {

// 1 ms fixed service, 1 GB/s private bus: a request of n bytes takes 1 ms + n ns.
std::string scenario(const std::string& trace, const std::string& timing = "") {
  return R"(
    device { name: "d" capacity: "1GiB" block_size: "512" interface_rate: "1GB/s"
             reference { queue_depth: 4 service { fixed: "1ms" } } }
    workload { replay { path: ")" + trace + "\" format: \"disksim-validate\" " + timing + " } }";
}

TEST(ValidateTiming, ChainsCompletionPlusGap) {
  testing::TempFile trace(
      "R Hit 0 8 5000 2000\n"      // 4 KiB, then 2 ms idle
      "W Hit 100 16 5000 500.5\n"  // 8 KiB, then 0.5005 ms idle
      "R Hit 200 1 5000 0\n");
  const auto records = testing::run_and_record(scenario(trace.path()));
  ASSERT_EQ(records.size(), 3u);
  const SimTime first_done = 1'000'000 + 4096;
  EXPECT_EQ(records[0].submit, 0);
  EXPECT_EQ(records[0].complete, first_done);
  EXPECT_EQ(records[1].submit, first_done + 2'000'000);
  const SimTime second_done = records[1].submit + 1'000'000 + 8192;
  EXPECT_EQ(records[1].complete, second_done);
  EXPECT_EQ(records[2].submit, second_done + 500'500);
  EXPECT_EQ(records[2].complete, records[2].submit + 1'000'000 + 512);
  for (const auto& record : records)
    EXPECT_EQ(record.queue_depth, 0u);  // never more than one outstanding
}

TEST(ValidateTiming, ComparesDispatchToCompletion) {
  // Measured 2 ms for every request; simulated 1 ms + 4096 ns (the bus moves 4 KiB at 1 GB/s).
  testing::TempFile trace("R Hit 0 8 2000 100\nR Hit 8 8 2000 100\nR Hit 16 8 2000 100\nR Hit 24 8 2000 100\n");
  const LoadedScenario loaded = testing::scenario_from_text(scenario(trace.path()));
  Simulation simulation(loaded, {});
  simulation.run();
  std::ostringstream report;
  simulation.print_source_reports(report);
  const std::string text = report.str();
  const auto at = text.find("measured vs simulated:");
  ASSERT_NE(at, std::string::npos) << text;
  double error = 0, demerit = 0, share = 0;
  ASSERT_EQ(std::sscanf(text.c_str() + at, "measured vs simulated: mean error %lf %%, demerit %lf ms (%lf %% of mean)",
                        &error, &demerit, &share),
            3)
      << text;
  EXPECT_NEAR(error, (1004.096 - 2000) / 2000 * 100, 0.005);
  // 2000 us lies in DiskSim's bucket [1988, 2008), 1004 us in [995, 1005): the inverse CDFs run
  // straight across those buckets, so (demerit_test) demerit = sqrt(a^2 + a b + b^2 / 3) with
  // a = 995 - 1988 us and b = 10 - 20 us.
  const double a = 995.0 - 1988.0, b = 10.0 - 20.0;
  EXPECT_NEAR(demerit, std::sqrt(a * a + a * b + b * b / 3) / 1000, 0.0005);
  EXPECT_NEAR(share, demerit / 2.0 * 100, 0.01);
  EXPECT_NE(text.find("compared: 4 requests, dispatch to completion"), std::string::npos) << text;
}

}  // namespace
}  // namespace blocksim
