// The NVMe arbitration and queue limits of the host interface, by the order in which the
// controller takes commands. With one command inside the controller at a time, every completion
// lets the arbiter choose once, so the order shows the policy: round robin alternates between
// busy queues; weighted round robin takes high, medium and low in proportion to their weights,
// and urgent queues before all of them (NVMe 1.3 §4.11).
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "models/ssd/host_interface.hpp"

namespace blocksim::ssd {
namespace {

struct Starts {
  std::vector<std::uint32_t> order;
  static void record(void* self, std::uint64_t request) {
    static_cast<Starts*>(self)->order.push_back(static_cast<std::uint32_t>(request));
  }
};

// Submits `per_priority` commands of each priority (request ids: priority index * 1000 + i),
// then finishes commands one by one; returns the ids in the order the commands started.
std::vector<std::uint32_t> run_ids(const HostConfig& config, const std::vector<IOStoragePriority>& priorities,
                                   int per_priority) {
  Engine engine;
  Starts starts;
  HostInterface host(engine, config, Callback{&Starts::record, &starts, 0});
  for (int i = 0; i < per_priority; ++i)
    for (std::size_t p = 0; p < priorities.size(); ++p)
      host.submit(static_cast<std::uint32_t>(p * 1000 + i), priorities[p], 0);
  while (starts.order.size() < priorities.size() * per_priority)
    host.finished(starts.order.back());
  return starts.order;
}

// The same, as the priority index of each command.
std::vector<int> run(const HostConfig& config, const std::vector<IOStoragePriority>& priorities, int per_priority) {
  std::vector<int> classes;
  for (const auto request : run_ids(config, priorities, per_priority))
    classes.push_back(static_cast<int>(request / 1000));
  return classes;
}

HostConfig one_at_a_time(std::uint32_t queues) {
  HostConfig config;
  config.queue_pairs = queues;
  config.queue_depth = 1024;
  config.max_commands = 1;
  return config;
}

TEST(SsdHostInterface, RoundRobinAlternatesBetweenBusyQueuesWhateverTheirClass) {
  HostConfig config = one_at_a_time(2);
  config.high_queues = 1;  // queue 0 high, queue 1 medium: round robin ignores classes
  const std::vector<int> order = run(config, {kIOStoragePriorityHigh, kIOStoragePriorityDefault}, 20);
  for (std::size_t i = 2; i < order.size(); ++i)
    EXPECT_NE(order[i], order[i - 1]) << "at " << i;
}

TEST(SsdHostInterface, RoundRobinTakesABurstFromEachQueue) {
  HostConfig config = one_at_a_time(2);
  config.high_queues = 1;
  config.burst = 2;  // two commands a turn
  const std::vector<int> pairs = run(config, {kIOStoragePriorityHigh, kIOStoragePriorityDefault}, 20);
  for (std::size_t i = 2; i + 1 < pairs.size(); i += 2) {
    EXPECT_EQ(pairs[i], pairs[i + 1]) << "at " << i;
    EXPECT_NE(pairs[i], pairs[i - 1]) << "at " << i;
  }
}

TEST(SsdHostInterface, WeightedRoundRobinSharesByWeightAndServesUrgentFirst) {
  HostConfig config = one_at_a_time(4);
  config.arbitration = Arbitration::kWeightedRoundRobin;
  config.urgent_queues = 1;
  config.high_queues = 1;
  config.low_queues = 1;  // and one medium
  config.weight_high = 4;
  config.weight_medium = 2;
  config.weight_low = 1;
  // priority index: 0 urgent (10), 1 high (63), 2 medium (127), 3 low (191)
  const std::vector<int> order = run(config, {10, kIOStoragePriorityHigh, kIOStoragePriorityDefault,
                                              kIOStoragePriorityLow}, 70);
  // The very first command starts on submission; the other urgent ones go before every other class.
  for (std::size_t i = 0; i < 70; ++i)
    EXPECT_EQ(order[i], 0) << "at " << i;
  std::map<int, int> shares;
  for (std::size_t i = 70; i < 70 + 7 * 10; ++i)
    ++shares[order[i]];
  EXPECT_EQ(shares[1], 40);
  EXPECT_EQ(shares[2], 20);
  EXPECT_EQ(shares[3], 10);
}

TEST(SsdHostInterface, FullSubmissionQueuesHoldCommandsOnTheHost) {
  HostConfig config = one_at_a_time(1);
  config.queue_depth = 4;
  const std::vector<std::uint32_t> order = run_ids(config, {kIOStoragePriorityDefault}, 10);
  ASSERT_EQ(order.size(), 10u);  // all taken in the end, in arrival order
  for (std::uint32_t i = 0; i < 10; ++i)
    EXPECT_EQ(order[i], i);
}

}  // namespace
}  // namespace blocksim::ssd
