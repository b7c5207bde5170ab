// The plain loop: the yardstick every figure of bench/run_all is measured against. A plain C++
// event loop over std::priority_queue, nothing of blocksim's: 32 requests outstanding (a closed
// loop at depth 32), each served in an exponentially distributed time (mean 100 us, 32 servers);
// a completion pops the earliest event and issues the next request at once. Any simulator of the
// same closed loop does at least this much work a request, so "x plain loop" (this rate over a
// simulator's) says what the rest of the simulation costs.
//
// Prints one line: "requests cpu_seconds requests_per_cpu_second simulated_seconds", the CPU
// time (user + system) of the loop alone.
//
//   build/plain_loop_bench [requests]   (default 10,000,000)
#include <ctime>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <queue>
#include <vector>

namespace {

constexpr int kQueueDepth = 32;
constexpr double kMeanServiceNs = 100'000;

double cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// splitmix64: a small, fast generator of uniform doubles in (0, 1].
struct Uniform {
  std::uint64_t state;
  double operator()() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (static_cast<double>(z >> 11) + 1.0) * 0x1.0p-53;
  }
};

struct Event {
  double time;
  std::uint64_t offset;  // the request's 4 KiB block, as a workload would draw it
  bool operator>(const Event& other) const { return time > other.time; }
};

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t requests = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  Uniform uniform{7};
  const double start = cpu_seconds();
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
  std::uint64_t issued = 0, completed = 0, checksum = 0;
  double now = 0;
  auto issue = [&] {
    ++issued;
    const auto offset = static_cast<std::uint64_t>(uniform() * 268'435'456.0);  // 1 TiB of 4 KiB blocks
    events.push({now - kMeanServiceNs * std::log(uniform()), offset});
  };
  for (int i = 0; i < kQueueDepth && issued < requests; ++i)
    issue();
  while (!events.empty()) {
    const Event event = events.top();
    events.pop();
    now = event.time;
    ++completed;
    checksum += event.offset;
    if (issued < requests)
      issue();
  }
  const double seconds = cpu_seconds() - start;
  if (checksum == 42)  // keeps the offsets from being optimised away
    std::puts("");
  std::printf("%llu %.6f %.0f %.6f\n", static_cast<unsigned long long>(completed), seconds,
              static_cast<double>(completed) / seconds, now * 1e-9);
  return 0;
}
