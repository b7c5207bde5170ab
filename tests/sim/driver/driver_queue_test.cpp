// The block storage driver's own queue: which waiting call each scheduler sends next (orders
// worked out by hand), and, on a device with a fixed 1 ms media time, that a queue depth of 1
// keeps one call at the device while the others wait in the driver, in the scheduler's order.
#include <gtest/gtest.h>

#include <vector>

#include "models/device_registry.hpp"
#include "sim/driver/driver_queue.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

// Pushes calls 0, 1, 2 ... at `blocks`, then pops them all, the head starting at `head` and
// moving to each call sent.
std::vector<std::uint32_t> order(DriverScheduler scheduler, const std::vector<std::uint64_t>& blocks,
                                 std::uint64_t head) {
  DriverQueue queue(scheduler);
  for (std::uint32_t i = 0; i < blocks.size(); ++i)
    queue.push(i, blocks[i]);
  std::vector<std::uint32_t> sent;
  while (!queue.empty()) {
    sent.push_back(queue.pop(head));
    head = blocks[sent.back()];
  }
  return sent;
}

const std::vector<std::uint64_t> kBlocks = {500, 100, 900, 300, 700, 300};

TEST(DriverQueue, FcfsKeepsArrivalOrder) {
  EXPECT_EQ(order(DriverScheduler::kFcfs, kBlocks, 400), (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
}

TEST(DriverQueue, CLookSweepsUpThenStartsAgainFromTheLowest) {
  // From 400: 500, 700, 900, then back to 100, 300 (the older of the two first), 300.
  EXPECT_EQ(order(DriverScheduler::kCLook, kBlocks, 400), (std::vector<std::uint32_t>{0, 4, 2, 1, 3, 5}));
}

TEST(DriverQueue, ElevatorSweepsUpThenDown) {
  // From 400 upwards: 500, 700, 900; then down: 300 (older), 300, 100.
  EXPECT_EQ(order(DriverScheduler::kElevator, kBlocks, 400), (std::vector<std::uint32_t>{0, 4, 2, 3, 5, 1}));
}

TEST(DriverQueue, SstfTakesTheNearestAndTheLowerOnATie) {
  // From 400: 300 and 500 are both 100 away: 300 (older of the two at 300); then 300 (0 away),
  // 100 (200) and 500 (200) tie: 100; then 500, 700, 900.
  EXPECT_EQ(order(DriverScheduler::kSstf, kBlocks, 400), (std::vector<std::uint32_t>{3, 5, 1, 0, 4, 2}));
}

TEST(DriverQueue, CallsArrivingBetweenChoicesJoinTheSweep) {
  DriverQueue queue(DriverScheduler::kCLook);
  queue.push(7, 50);
  queue.push(8, 250);
  EXPECT_EQ(queue.pop(100), 8u);  // 250 is at or above 100
  queue.push(9, 260);
  queue.push(10, 10);
  EXPECT_EQ(queue.pop(250), 9u);
  EXPECT_EQ(queue.pop(260), 10u);  // nothing above: the lowest
  EXPECT_EQ(queue.pop(10), 7u);
  EXPECT_TRUE(queue.empty());
}

constexpr SimTime kAttempt = 1'000'000 + 1'024;  // media 1 ms + 4 KiB at 4 GB/s
constexpr std::uint64_t kBlock = 512;

// A reference device with four media servers of a fixed 1 ms and its driver with `policy`; reads
// of 4 KiB at `blocks` submitted at once, run to the end.
struct QueuedStack {
  testing::StackHarness h;
  std::unique_ptr<IOBlockStorageDevice> device;
  std::unique_ptr<IOBlockStorageDriver> driver;
  std::vector<testing::Io*> ios;

  QueuedStack(const DriverQueuePolicy& policy, std::initializer_list<std::uint64_t> blocks) {
    device = h.make_device(R"(capacity: "1MiB" block_size: "512"
                              reference { queue_depth: 4 media_servers: 4 service { fixed: "1ms" } })");
    driver = std::make_unique<IOBlockStorageDriver>(h.context(), *device, "disk0", 0);
    driver->set_queue_policy(policy);
    EXPECT_EQ(driver->start(), kIOReturnSuccess);
    for (std::uint64_t block : blocks)
      ios.push_back(&h.submit(*driver, IODirection::kIn, block * kBlock, 4096));
    h.engine.run();
    for (auto* io : ios)
      EXPECT_EQ(io->result.status, kIOReturnSuccess);
  }
};

TEST(DriverQueueStack, ADepthOfOneSendsOneCallAtATimeInTheSchedulersOrder) {
  // At once: block 400 goes to the device; 100, 800, 600 wait, then go as 600, 800, 100.
  QueuedStack s({1, DriverScheduler::kCLook}, {400, 100, 800, 600});
  EXPECT_EQ(s.ios[0]->result.completed_at, kAttempt);
  EXPECT_EQ(s.ios[3]->result.completed_at, 2 * kAttempt);
  EXPECT_EQ(s.ios[2]->result.completed_at, 3 * kAttempt);
  EXPECT_EQ(s.ios[1]->result.completed_at, 4 * kAttempt);
  // The device saw one call at a time: each submitted as the previous one completed.
  const auto device_records = testing::at_layer(s.h.sink.records, Layer::kDevice);
  ASSERT_EQ(device_records.size(), 4u);
  for (const auto& r : device_records)
    EXPECT_EQ(r.complete - r.submit, kAttempt);
}

TEST(DriverQueueStack, WithoutADepthEveryCallGoesToTheDeviceAtOnce) {
  QueuedStack s({}, {400, 100, 800, 600});
  // Four media servers: all four at once; their 4 KiB share the bus (4 x 1,024 ns at most).
  for (auto* io : s.ios)
    EXPECT_LE(io->result.completed_at, 1'000'000 + 4 * 1'024);
}

}  // namespace
}  // namespace blocksim
