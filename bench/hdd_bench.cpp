// The HDD model's speed: random 4 KiB reads on the 7200 rpm SATA profile, at queue depth 1 (FIFO)
// and 32 (SPTF, no starvation limit), through the whole pipeline (workload -> device interface ->
// HDD model: command queue, cache, arm, port over a SimGrid link -> completion records). Beside
// each, the reference: a plain C++ loop doing the bare arithmetic of the same positioning (a seek
// curve, the platter's angle, one sector run), one request at a time or choosing the shortest
// positioning among 32. Prints requests per second of CPU time (the machine may be shared: wall
// time would measure the neighbours), the ratio, and peak RSS.
//
// One SimGrid engine per process: each model run happens in a child process (this program again).
//
//   build/bench/hdd_bench [requests]
#include <unistd.h>

#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace {

const std::string kProfile = std::string(BLOCKSIM_SOURCE_DIR) + "/scenarios/profiles/sata_7200rpm.textproto";

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

struct RunResult {
  double seconds = 0, simulated_seconds = 0, peak_rss_kib = 0;
  bool ok = false;
};

int model_child(std::uint64_t requests, int depth) {
  const std::string text = "device { name: \"sata0\" profile: \"" + kProfile + "\" hdd { controller { queue_depth: 32 scheduler: " +
                           (depth == 1 ? "FIFO" : "SPTF") + " starvation_limit: \"0ns\" } } }\n"
                           "workload { job { read_fraction: 1 block_size: \"4KiB\" closed { queue_depth: " +
                           std::to_string(depth) + " } requests: " + std::to_string(requests) + " } }";
  auto loaded = blocksim::load_scenario_text(text, "hdd-bench", "");
  blocksim::Simulation simulation(loaded, {});
  const std::clock_t start = std::clock();
  simulation.run();
  const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  std::printf("%.9f %.9f %.0f\n", seconds, static_cast<double>(simulation.end_time()) * 1e-9, peak_rss_kib());
  return 0;
}

RunResult run_model(std::uint64_t requests, int depth) {
  const std::string command = "/proc/" + std::to_string(::getpid()) + "/exe --model-child " +
                              std::to_string(requests) + " " + std::to_string(depth);
  RunResult result;
  std::FILE* child = ::popen(command.c_str(), "r");
  if (!child)
    return result;
  result.ok = std::fscanf(child, "%lf %lf %lf", &result.seconds, &result.simulated_seconds, &result.peak_rss_kib) == 3;
  result.ok = ::pclose(child) == 0 && result.ok;
  return result;
}

// The reference: the positioning arithmetic alone. 636,000 cylinders, a seek of
// a*sqrt(d-1) + b*(d-1) + c, 8.33 ms revolutions, 8 sectors of 1/3000 revolution each.
double reference_loop(std::uint64_t requests, int depth, double& simulated_seconds) {
  const std::clock_t start = std::clock();
  blocksim::Rng rng(7, 1);
  const double cylinders = 636'000, period = 8.333e6, a = 9000, b = 0.0157, c = 230e3;
  auto seek = [&](double d) { return d < 1 ? 0.0 : a * std::sqrt(d - 1) + b * (d - 1) + c; };
  struct Target {
    double cylinder, angle;
  };
  auto draw = [&] { return Target{std::floor(rng.uniform() * cylinders), rng.uniform()}; };
  std::vector<Target> queue;
  for (int i = 0; i < depth; ++i)
    queue.push_back(draw());
  double now = 0, head = 0;
  for (std::uint64_t done = 0; done < requests; ++done) {
    std::size_t best = 0;
    double best_time = 1e300;
    for (std::size_t i = 0; i < queue.size(); ++i) {
      const double move = seek(std::fabs(queue[i].cylinder - head));
      double wait = queue[i].angle - std::fmod((now + move) / period, 1.0);
      wait -= std::floor(wait);
      const double t = move + wait * period;
      if (t < best_time) {
        best_time = t;
        best = i;
      }
      if (depth == 1)
        break;
    }
    now += best_time + 8 * period / 3000;
    head = queue[best].cylinder;
    queue[best] = draw();
  }
  simulated_seconds = now * 1e-9;
  return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--model-child")
    return model_child(std::strtoull(argv[2], nullptr, 10), std::atoi(argv[3]));
  const std::uint64_t requests = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200'000;
  std::printf("hdd_bench: %llu random 4 KiB reads, 7200 rpm SATA profile (scenarios/profiles/sata_7200rpm.textproto)\n",
              static_cast<unsigned long long>(requests));
  std::printf("%-40s %14s %10s %14s %12s\n", "run", "requests/s", "CPU s", "simulated s", "peak RSS MiB");
  for (const int depth : {1, 32}) {
    double reference_simulated = 0;
    const double reference_seconds = reference_loop(requests, depth, reference_simulated);
    const RunResult model = run_model(requests, depth);
    if (!model.ok) {
      std::fprintf(stderr, "hdd_bench: the model run at depth %d failed\n", depth);
      return 1;
    }
    const std::string what = depth == 1 ? "queue depth 1, FIFO" : "queue depth 32, SPTF";
    auto row = [&](const std::string& name, double seconds, double simulated, double rss_kib) {
      std::printf("%-40s %14.0f %10.3f %14.3f %12.1f\n", name.c_str(), static_cast<double>(requests) / seconds, seconds,
                  simulated, rss_kib / 1024.0);
    };
    row("reference loop, " + what, reference_seconds, reference_simulated, peak_rss_kib());
    row("blocksim HDD model, " + what, model.seconds, model.simulated_seconds, model.peak_rss_kib);
    std::printf("ratio reference / model at %s: %.1fx\n", what.c_str(), model.seconds / reference_seconds);
  }
  return 0;
}
