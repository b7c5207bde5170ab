// The whole pipeline, workload -> device interface -> reference device (controller queue, media,
// DMA over a SimGrid link) -> completion record -> trace, on 1,000,000 random 4 KiB reads at
// queue depth 32, with tracing off and on; beside it, the reference: a plain C++ priority-queue
// event loop doing the same arithmetic (the same random draws for media times, the bus as one
// FIFO server at the same rate, the same closed loop). Prints requests per second, the ratio, and
// peak RSS.
//
// SimGrid allows one engine per process, so each pipeline run happens in a child process (this
// program again, with --pipeline-child); the reference loop runs in the parent. Peak RSS is each
// process's own VmHWM.
//
//   build/pipeline_bench [requests]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <string>
#include <vector>

#include "bench/support/child_run.hpp"
#include "sim/core/random.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace {

using blocksim::bench::peak_rss_kib;
using blocksim::bench::run_self;

using Clock = std::chrono::steady_clock;

constexpr int kQueueDepth = 32;
constexpr double kMediaMeanNs = 80'000;  // an NVMe-like 80 us read, 32 in parallel: ~400k IOPS
constexpr double kBusBytesPerSecond = 4e9;
constexpr std::uint64_t kRequestBytes = 4096;

blocksim::proto::Scenario bench_scenario(std::uint64_t requests) {
  blocksim::proto::Scenario s;
  s.set_name("pipeline-bench");
  s.set_seed(7);
  auto* bus = s.add_bus();
  bus->set_name("pcie");
  bus->set_bandwidth("4GB/s");
  auto* device = s.add_device();
  device->set_name("ref0");
  device->set_capacity("1TiB");
  device->set_block_size("4KiB");
  device->mutable_reference()->set_queue_depth(kQueueDepth);
  device->mutable_reference()->set_media_servers(kQueueDepth);
  device->mutable_reference()->mutable_service()->set_exponential("80us");
  auto* job = s.add_workload()->mutable_job();
  job->set_block_size("4KiB");
  job->mutable_closed()->set_queue_depth(kQueueDepth);
  job->set_requests(requests);
  return s;
}

struct ChildResult {
  double seconds = 0;
  double simulated_seconds = 0;
  double peak_rss_kib = 0;
  bool ok = false;
};


// Runs the pipeline in this process and prints "seconds simulated_seconds peak_rss_kib".
int pipeline_child(std::uint64_t requests, const char* trace_path) {
  blocksim::RunOptions options;
  if (trace_path && *trace_path)
    options.trace_path = trace_path;
  auto loaded = blocksim::check_scenario_message(bench_scenario(requests), "pipeline-bench", "");
  blocksim::Simulation simulation(loaded, options);
  const auto start = Clock::now();
  simulation.run();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%.9f %.9f %.0f\n", seconds, static_cast<double>(simulation.end_time()) * 1e-9, peak_rss_kib());
  return 0;
}

// A fresh process of this program (not a fork, so its peak RSS is wholly its own).
ChildResult run_pipeline_in_child(std::uint64_t requests, const std::string& trace_path) {
  const auto numbers = run_self("--pipeline-child " + std::to_string(requests) + " '" + trace_path + "'", 3);
  if (numbers.empty())
    return {};
  return {numbers[0], numbers[1], numbers[2], true};
}

// The reference: the same closed loop as a plain event loop over std::priority_queue.
double reference_loop(std::uint64_t requests, double& simulated_seconds) {
  struct Event {
    double time;
    std::uint32_t request;
    bool media_done;  // false: DMA done
    bool operator>(const Event& other) const { return time > other.time; }
  };
  const auto start = Clock::now();
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
  blocksim::Rng rng(7, 1);
  const double transfer_ns = static_cast<double>(kRequestBytes) / kBusBytesPerSecond * 1e9;
  double bus_free_at = 0;
  std::uint64_t issued = 0, completed = 0;
  double now = 0;
  std::uint64_t checksum = 0;
  for (std::uint32_t i = 0; i < kQueueDepth && issued < requests; ++i, ++issued)
    events.push({now + rng.exponential(kMediaMeanNs), i, true});
  while (!events.empty()) {
    const Event e = events.top();
    events.pop();
    now = e.time;
    if (e.media_done) {
      bus_free_at = std::max(bus_free_at, now) + transfer_ns;
      events.push({bus_free_at, e.request, false});
    } else {
      ++completed;
      checksum += static_cast<std::uint64_t>(now) ^ rng.below(1ULL << 40);  // the offset a job would draw
      if (issued < requests) {
        ++issued;
        events.push({now + rng.exponential(kMediaMeanNs), e.request, true});
      }
    }
  }
  simulated_seconds = now * 1e-9;
  if (checksum == 0)  // keeps the offset draws from being optimised away
    std::puts("");
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--pipeline-child")
    return pipeline_child(std::strtoull(argv[2], nullptr, 10), argv[3]);
  const std::uint64_t requests = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  double reference_simulated = 0;
  const double reference_seconds = reference_loop(requests, reference_simulated);
  const double reference_rate = static_cast<double>(requests) / reference_seconds;

  const std::string trace_path = "/tmp/blocksim-pipeline-bench-" + std::to_string(::getpid()) + ".bstrace";
  const ChildResult untraced = run_pipeline_in_child(requests, "");
  const ChildResult traced = run_pipeline_in_child(requests, trace_path);
  std::remove(trace_path.c_str());
  if (!untraced.ok || !traced.ok) {
    std::fprintf(stderr, "pipeline_bench: a pipeline run failed\n");
    return 1;
  }

  std::printf("pipeline_bench: %llu random 4 KiB reads, queue depth %d, reference device, 4 GB/s bus\n",
              static_cast<unsigned long long>(requests), kQueueDepth);
  std::printf("%-34s %14s %10s %14s %12s\n", "run", "requests/s", "wall s", "simulated s", "peak RSS MiB");
  auto row = [&](const char* name, double seconds, double simulated, double rss_kib) {
    std::printf("%-34s %14.0f %10.3f %14.6f %12.1f\n", name, static_cast<double>(requests) / seconds, seconds, simulated,
                rss_kib / 1024.0);
  };
  row("reference priority-queue loop", reference_seconds, reference_simulated, peak_rss_kib());
  row("blocksim pipeline, trace off", untraced.seconds, untraced.simulated_seconds, untraced.peak_rss_kib);
  row("blocksim pipeline, trace on", traced.seconds, traced.simulated_seconds, traced.peak_rss_kib);
  std::printf("ratio reference / pipeline: %.1fx (trace off), %.1fx (trace on)\n",
              reference_rate / (static_cast<double>(requests) / untraced.seconds),
              reference_rate / (static_cast<double>(requests) / traced.seconds));
  return 0;
}
