// The SSD model's speed and memory: requests per second of simulated SSD requests, and peak RSS,
//   1. random 4 KiB reads at queue depth 32 on the 970 EVO Plus profile, filled (1 TB);
//   2. random 4 KiB writes at queue depth 32 in the steady state of garbage collection: the same
//      profile cut to 32 GB, preconditioned by a fill and one pass of random overwrites (placed
//      without time; their cost is shown apart), so every write pays GC's reads and programs.
// Beside them, the reference: a plain C++ priority-queue event loop doing the read case's
// arithmetic (controller time, a random die's tR, its channel's transfer, the link), with no FTL.
// For scale, MQSim replays about 109,000 requests a second in 2.07 GB on this kind of machine
// (../shared/data/README.md).
//
// SimGrid allows one engine per process, so each SSD run happens in a child process (this program
// again, with --child); the reference loop runs in the parent. Wall time is noisy on a shared
// machine; the rates use the child's CPU time (user + system) as well.
//
//   build/bench/ssd_bench [reads] [writes]
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kQueueDepth = 32;
const char* kProfile = BLOCKSIM_SOURCE_DIR "/scenarios/profiles/samsung-970-evo-plus-1tb.textproto";

std::string scenario_text(bool writes, std::uint64_t requests) {
  std::string device = std::string("device { name: \"ssd\" profile: \"") + kProfile + "\"";
  device += writes ? " capacity: \"32GB\" ssd { precondition { fill: 1 random_overwrites: 1 } } }"
                   : " ssd { precondition { fill: 1 } } }";
  return "seed: 7\n" + device + "\nworkload { job { read_fraction: " + (writes ? "0" : "1") +
         " closed { queue_depth: 32 } requests: " + std::to_string(requests) + " } }\n";
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

double peak_rss_kib() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (!status)
    return 0;
  char line[256];
  double kib = 0;
  while (std::fgets(line, sizeof line, status))
    if (std::sscanf(line, "VmHWM: %lf kB", &kib) == 1)
      break;
  std::fclose(status);
  return kib;
}

struct ChildResult {
  double setup_wall = 0, wall = 0, cpu = 0, simulated = 0, rss_kib = 0, write_amplification = 0;
  bool ok = false;
};

// Builds (and preconditions) the device, runs, prints "setup wall cpu simulated rss wa".
int child(bool writes, std::uint64_t requests) {
  const auto loaded = blocksim::load_scenario_text(scenario_text(writes, requests), "ssd-bench", "");
  const auto setup_start = Clock::now();
  blocksim::Simulation simulation(loaded, {});
  const double setup = std::chrono::duration<double>(Clock::now() - setup_start).count();
  const double cpu_start = cpu_seconds();
  const auto start = Clock::now();
  simulation.run();
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_start;
  double wa = 0;
  for (const auto& metric : simulation.metrics())
    if (metric.name == "ssd.ssd.gc_write_amplification")
      wa = metric.value;
  std::printf("%.6f %.6f %.6f %.9f %.0f %.4f\n", setup, wall, cpu, static_cast<double>(simulation.end_time()) * 1e-9,
              peak_rss_kib(), wa);
  return 0;
}

ChildResult run_child(bool writes, std::uint64_t requests) {
  const std::string command = "/proc/" + std::to_string(::getpid()) + "/exe --child " + (writes ? "w " : "r ") +
                              std::to_string(requests);
  ChildResult r;
  std::FILE* out = ::popen(command.c_str(), "r");
  if (!out)
    return r;
  r.ok = std::fscanf(out, "%lf %lf %lf %lf %lf %lf", &r.setup_wall, &r.wall, &r.cpu, &r.simulated, &r.rss_kib,
                     &r.write_amplification) == 6;
  r.ok = ::pclose(out) == 0 && r.ok;
  return r;
}

// The reference: the read case's arithmetic as a plain event loop. Each request takes the
// controller (one server, 1.6 us), then a random one of 32 dies (tR 45 us, then its channel of
// 4 dies for 4 KiB at 800 MB/s), then the link (4 KiB at 3.5 GB/s); all FIFO servers.
double reference_loop(std::uint64_t requests, double& simulated_seconds) {
  enum Stage : std::uint8_t { kController, kDie, kChannel, kLink };
  struct Event {
    double time;
    std::uint32_t request;
    Stage done;
    bool operator>(const Event& other) const { return time > other.time; }
  };
  const double controller = 1600, read = 45'000, channel = 4096 / 800e6 * 1e9, link = 4096 / 3.5e9 * 1e9;
  const auto start = Clock::now();
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
  blocksim::Rng rng(7, 1);
  std::vector<double> die_free(32, 0), channel_free(8, 0);
  std::vector<std::uint32_t> die_of(kQueueDepth);
  double controller_free = 0, link_free = 0, now = 0;
  std::uint64_t issued = 0, completed = 0;
  auto issue = [&](std::uint32_t request) {
    ++issued;
    controller_free = std::max(controller_free, now) + controller;
    events.push({controller_free, request, kController});
  };
  for (std::uint32_t i = 0; i < kQueueDepth; ++i)
    issue(i);
  while (!events.empty()) {
    const Event e = events.top();
    events.pop();
    now = e.time;
    switch (e.done) {
      case kController: {
        const auto die = static_cast<std::uint32_t>(rng.below(32));
        die_of[e.request] = die;
        die_free[die] = std::max(die_free[die], now) + read;
        events.push({die_free[die], e.request, kDie});
        break;
      }
      case kDie: {
        double& c = channel_free[die_of[e.request] % 8];
        c = std::max(c, now) + channel;
        die_free[die_of[e.request]] = std::max(die_free[die_of[e.request]], c);  // held for its transfer
        events.push({c, e.request, kChannel});
        break;
      }
      case kChannel:
        link_free = std::max(link_free, now) + link;
        events.push({link_free, e.request, kLink});
        break;
      case kLink:
        ++completed;
        if (issued < requests)
          issue(e.request);
        break;
    }
  }
  simulated_seconds = now * 1e-9;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--child")
    return child(argv[2][0] == 'w', std::strtoull(argv[3], nullptr, 10));
  const std::uint64_t reads = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const std::uint64_t writes = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 500'000;

  double reference_simulated = 0;
  const double reference_seconds = reference_loop(reads, reference_simulated);
  const ChildResult read_run = run_child(false, reads);
  const ChildResult write_run = run_child(true, writes);
  if (!read_run.ok || !write_run.ok) {
    std::fprintf(stderr, "ssd_bench: a run failed\n");
    return 1;
  }
  std::printf("ssd_bench: Samsung 970 EVO Plus profile, random 4 KiB requests at queue depth %d\n", kQueueDepth);
  std::printf("%-44s %12s %12s %9s %9s %12s %9s\n", "run", "req/s wall", "req/s cpu", "wall s", "setup s",
              "simulated s", "RSS MiB");
  auto row = [](const char* name, std::uint64_t n, const ChildResult& r) {
    std::printf("%-44s %12.0f %12.0f %9.3f %9.3f %12.6f %9.1f\n", name, n / r.wall, n / r.cpu, r.wall, r.setup_wall,
                r.simulated, r.rss_kib / 1024);
  };
  std::printf("%-44s %12.0f %12s %9.3f %9s %12.6f %9.1f\n", "reference priority-queue loop (reads)",
              reads / reference_seconds, "-", reference_seconds, "-", reference_simulated, peak_rss_kib() / 1024);
  row("SSD model, random reads, 1 TB filled", reads, read_run);
  row("SSD model, random writes, GC steady state", writes, write_run);
  std::printf("write amplification in the write run: %.2f\n", write_run.write_amplification);
  std::printf("ratio reference / SSD model reads: %.1fx (wall)\n", (reads / reference_seconds) / (reads / read_run.wall));
  std::printf("MQSim for scale: ~109,000 req/s, 2.07 GB; SSD model / MQSim: reads %.1fx, writes %.1fx (cpu rate)\n",
              reads / read_run.cpu / 109000, writes / write_run.cpu / 109000);
  return 0;
}
