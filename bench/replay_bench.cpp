// Replay speed: every trace in data/traces/, repeated to a million requests or more,
// replayed on the reference device profile (scenarios/profiles/reference_replay.textproto) as
// recorded (open loop) and in a closed loop at depth 32, in requests per second of wall time, with
// peak RSS. Rates are per second of CPU time (the machine is shared; wall time is shown too).
// Beside each, the reference: the same requests only read and parsed by the trace
// reader in this process, so the ratio says what the simulation costs over reading the trace.
//
// SimGrid allows one engine per process: each replay runs in a child process (this program
// again, with --replay-child), whose peak RSS is its own VmHWM.
//
//   build/bench/replay_bench [minimum requests per run]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/support/child_run.hpp"
#include "sim/replay/format_registry.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_loader.hpp"

#ifndef BLOCKSIM_SOURCE_DIR
#define BLOCKSIM_SOURCE_DIR "."
#endif

namespace {

using blocksim::bench::peak_rss_kib;
using blocksim::bench::run_self;

using Clock = std::chrono::steady_clock;

const std::string kTraces = std::string(BLOCKSIM_SOURCE_DIR) + "/data/traces";
const std::string kProfile = std::string(BLOCKSIM_SOURCE_DIR) + "/scenarios/profiles/reference_replay.textproto";

// CPU time this process has used, user and system, in seconds.
double cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}


// Counts the trace's requests, reading it once.
std::uint64_t count_requests(const std::string& path) {
  auto reader = blocksim::open_trace(path, "auto", {});
  blocksim::TraceRequest request;
  std::uint64_t count = 0;
  while (reader->next(&request))
    ++count;
  return count;
}

// The reference: the same requests read and parsed `repeat` times, nothing simulated.
double read_only_seconds(const std::string& path, std::uint32_t repeat) {
  const double start = cpu_seconds();
  std::uint64_t checksum = 0;
  for (std::uint32_t pass = 0; pass < repeat; ++pass) {
    auto reader = blocksim::open_trace(path, "auto", {});
    blocksim::TraceRequest request;
    while (reader->next(&request))
      checksum += request.offset ^ static_cast<std::uint64_t>(request.time);
  }
  if (checksum == 42)  // keeps the loop from being optimised away
    std::puts("");
  return cpu_seconds() - start;
}

// One replay in this process; prints "cpu_seconds wall_seconds requests peak_rss_kib".
int replay_child(const std::string& trace, std::uint32_t repeat, const std::string& timing) {
  blocksim::proto::Scenario scenario;
  scenario.set_name("replay-bench");
  auto* device = scenario.add_device();
  device->set_name("ref");
  device->set_profile(kProfile);
  auto* replay = scenario.add_workload()->mutable_replay();
  replay->set_path(trace);
  replay->set_repeat(repeat);
  if (timing == "closed")
    replay->mutable_closed()->set_queue_depth(32);
  else
    replay->mutable_as_recorded();
  const auto loaded = blocksim::check_scenario_message(scenario, "replay-bench", "");
  blocksim::Simulation simulation(loaded, {});
  const auto start = Clock::now();
  const double cpu_start = cpu_seconds();
  const auto& summary = simulation.run();
  const double cpu = cpu_seconds() - cpu_start;
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  const auto* all = summary.row(blocksim::Layer::kDevice, blocksim::kOpCount);
  std::printf("%.6f %.6f %llu %.0f\n", cpu, wall, static_cast<unsigned long long>(all ? all->requests : 0),
              peak_rss_kib());
  return 0;
}

struct ChildResult {
  double cpu = 0;
  double wall = 0;
  unsigned long long requests = 0;
  double rss_kib = 0;
  bool ok = false;
};

ChildResult run_child(const std::string& trace, std::uint32_t repeat, const std::string& timing) {
  const auto numbers = run_self("--replay-child '" + trace + "' " + std::to_string(repeat) + " " + timing, 4);
  if (numbers.empty())
    return {};
  return {numbers[0], numbers[1], static_cast<unsigned long long>(numbers[2]), numbers[3], true};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "--replay-child")
    return replay_child(argv[2], static_cast<std::uint32_t>(std::strtoul(argv[3], nullptr, 10)), argv[4]);
  const std::uint64_t minimum = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;

  std::vector<std::string> traces;
  for (const auto& entry : std::filesystem::directory_iterator(kTraces))
    if (entry.is_regular_file() && entry.path().extension() == ".trace")  // not the licence files
      traces.push_back(entry.path().string());
  std::sort(traces.begin(), traces.end());
  if (traces.empty()) {
    std::fprintf(stderr, "replay_bench: no traces in %s\n", kTraces.c_str());
    return 1;
  }

  std::printf("replay_bench: each trace repeated to >= %llu requests, reference device profile, one core\n",
              static_cast<unsigned long long>(minimum));
  std::printf("%-32s %-12s %9s %12s %8s %8s %12s %13s %7s\n", "trace", "timing", "requests", "requests/s", "cpu s",
              "wall s", "peak RSS MiB", "read-only r/s", "ratio");
  for (const auto& trace : traces) {
    const std::uint64_t count = count_requests(trace);
    const auto repeat = static_cast<std::uint32_t>((minimum + count - 1) / count);
    const double read_seconds = read_only_seconds(trace, repeat);
    const double read_rate = static_cast<double>(count * repeat) / read_seconds;
    for (const char* timing : {"as-recorded", "closed"}) {
      const ChildResult r = run_child(trace, repeat, timing == std::string("closed") ? "closed" : "recorded");
      if (!r.ok) {
        std::fprintf(stderr, "replay_bench: the replay of %s failed\n", trace.c_str());
        return 1;
      }
      const double rate = static_cast<double>(r.requests) / r.cpu;
      std::printf("%-32s %-12s %9llu %12.0f %8.3f %8.3f %12.1f %13.0f %6.1fx\n",
                  std::filesystem::path(trace).filename().c_str(), timing == std::string("closed") ? "closed:32" : timing,
                  r.requests, rate, r.cpu, r.wall, r.rss_kib / 1024, read_rate, read_rate / rate);
    }
  }
  std::printf("ratio: read-only requests/s over replay requests/s (the simulation's cost over parsing)\n");
  std::printf("peers on the same kind of machine (../shared/data/README.md): MQSim ~109,000 requests/s "
              "(wsrch x40, 2.07 GB); DiskSim ~55,000 requests/s (disksim-ascii-100k, 133 MB)\n");
  return 0;
}
