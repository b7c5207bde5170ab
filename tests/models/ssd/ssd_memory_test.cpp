// A 1 TB device with 4 KiB pages simulates in well under 1 GiB: the mapping is compact and
// untouched space costs nothing. A flat mapping table alone would take 4 bytes x 244 million
// units = 977 MB, and its reverse as much again. Here the device is filled (preconditioned: the
// fill is laid out, not stored) and then takes a million random 4 KiB reads and writes across
// the whole of it; the test process's peak resident memory (VmHWM) must stay below 512 MiB.
// Under AddressSanitizer memory figures mean nothing, so the bound is not checked there.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_loader.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define BLOCKSIM_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BLOCKSIM_UNDER_ASAN 1
#endif
#endif

namespace blocksim {
namespace {

double peak_rss_mib() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (!status)
    return 0;
  char line[256];
  double kib = 0;
  while (std::fgets(line, sizeof line, status))
    if (std::sscanf(line, "VmHWM: %lf kB", &kib) == 1)
      break;
  std::fclose(status);
  return kib / 1024;
}

double run_terabyte(const std::string& precondition) {
  const std::string text = R"(
    seed: 3
    device {
      capacity: "1TB" block_size: "4KiB" interface_rate: "3.5GB/s"
      ssd {
        nand { channels: 8 dies_per_channel: 4 planes_per_die: 2 page_size: "4KiB" pages_per_block: 384 }
        )" + precondition + R"(
      }
    }
    workload { job { read_fraction: 0.5 closed { queue_depth: 32 } requests: 1000000 } })";
  const LoadedScenario loaded = load_scenario_text(text, "memory.textproto", BLOCKSIM_SOURCE_DIR);
  Simulation simulation(loaded, {});
  simulation.run();
  for (const auto& metric : simulation.metrics())
    if (metric.name.find("ftl_memory") != std::string::npos || metric.name.find("write_amplification") != std::string::npos)
      std::printf("%s: %.6g %s\n", metric.name.c_str(), metric.value, metric.unit.c_str());
  return peak_rss_mib();
}

void check(double mib) {
  std::printf("peak resident memory: %.1f MiB\n", mib);
#ifndef BLOCKSIM_UNDER_ASAN
  EXPECT_LT(mib, 512.0);
#endif
}

TEST(SsdMemory, FilledTerabyteDeviceUnderRandomIo) { check(run_terabyte("precondition { fill: 1 }")); }
TEST(SsdMemory, FreshTerabyteDeviceUnderRandomIo) { check(run_terabyte("")); }

}  // namespace
}  // namespace blocksim
