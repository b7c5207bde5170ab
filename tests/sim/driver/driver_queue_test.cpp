// The block storage driver's own queue: which waiting call each scheduler sends next (orders
// worked out by hand from DiskSim's rules in disksim_ioqueue.c), and, on a device with a fixed
// 1 ms media time, that a queue depth of 1 keeps one call at the device while the others wait in
// the driver, in the scheduler's order.
#include <gtest/gtest.h>

#include <vector>

#include "models/device_registry.hpp"
#include "sim/driver/driver_queue.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

// Sends a first call of 8 blocks at `head` through an empty queue (it goes at once), then pushes
// calls 0, 1, 2 ... of 8 blocks at `blocks` and pops them all.
std::vector<std::uint32_t> order(DriverScheduler scheduler, const std::vector<std::uint64_t>& blocks,
                                 std::uint64_t head) {
  DriverQueue queue(scheduler);
  queue.push(99, head, 8);
  EXPECT_EQ(queue.pop(), 99u);
  for (std::uint32_t i = 0; i < blocks.size(); ++i)
    queue.push(i, blocks[i], 8);
  std::vector<std::uint32_t> sent;
  while (!queue.empty())
    sent.push_back(queue.pop());
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

TEST(DriverQueue, ElevatorTurnsOnACallSentAtOnce) {
  // DiskSim's queue sees every call: going up to 900, then 200 alone (sent at once) turns the
  // sweep down. From 200 downwards: 100, 50; then up: 250, 600.
  DriverQueue queue(DriverScheduler::kElevator);
  queue.push(1, 900, 8);
  EXPECT_EQ(queue.pop(), 1u);
  queue.push(2, 200, 8);
  EXPECT_EQ(queue.pop(), 2u);
  queue.push(3, 250, 8);
  queue.push(4, 100, 8);
  queue.push(5, 600, 8);
  queue.push(6, 50, 8);
  std::vector<std::uint32_t> sent;
  while (!queue.empty())
    sent.push_back(queue.pop());
  EXPECT_EQ(sent, (std::vector<std::uint32_t>{4, 6, 3, 5}));
}

TEST(DriverQueue, ElevatorGoingDownTakesACallAtTheLastBlockFirst) {
  // Down to 300 (from 900), then 300 again and 200 wait: 300 (0 away) before 200.
  DriverQueue queue(DriverScheduler::kElevator);
  queue.push(1, 900, 8);
  EXPECT_EQ(queue.pop(), 1u);
  queue.push(2, 300, 8);
  EXPECT_EQ(queue.pop(), 2u);
  queue.push(3, 200, 8);
  queue.push(4, 300, 8);
  EXPECT_EQ(queue.pop(), 4u);
  EXPECT_EQ(queue.pop(), 3u);
}

TEST(DriverQueue, SstfMeasuresFromTheBlockAfterTheLastCallAndAlternatesTies) {
  // The head call covers 400..407, so distances count from 408. 300 is 108 away, 500 is 92: 500
  // (ends at 508); then 300 (208), 700 (192): 700 (708); 900 is 192, 300 is 408: 900 (908); then
  // 300 (older), 300 and 100 downwards.
  EXPECT_EQ(order(DriverScheduler::kSstf, kBlocks, 400), (std::vector<std::uint32_t>{0, 4, 2, 3, 5, 1}));
  // Ties: from 108 (a call at 100), 58 and 158 are both 50 away: up first (158, ends at 166);
  // then 116 and 216 are both 50 away: down this time (116, ends at 124); then 58 (66 away) and
  // 216 (92): 58.
  DriverQueue queue(DriverScheduler::kSstf);
  queue.push(1, 100, 8);
  EXPECT_EQ(queue.pop(), 1u);
  queue.push(2, 58, 8);
  queue.push(3, 158, 8);
  EXPECT_EQ(queue.pop(), 3u);
  queue.push(4, 116, 8);
  queue.push(5, 216, 8);
  EXPECT_EQ(queue.pop(), 4u);
  EXPECT_EQ(queue.pop(), 2u);
  EXPECT_EQ(queue.pop(), 5u);
}

TEST(DriverQueue, CallsArrivingBetweenChoicesJoinTheSweep) {
  DriverQueue queue(DriverScheduler::kCLook);
  queue.push(6, 100, 8);
  EXPECT_EQ(queue.pop(), 6u);
  queue.push(7, 50, 8);
  queue.push(8, 250, 8);
  EXPECT_EQ(queue.pop(), 8u);  // 250 is at or above 100
  queue.push(9, 260, 8);
  queue.push(10, 10, 8);
  EXPECT_EQ(queue.pop(), 9u);
  EXPECT_EQ(queue.pop(), 10u);  // nothing above 260: the lowest
  EXPECT_EQ(queue.pop(), 7u);
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
