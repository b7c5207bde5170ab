// The HDD's command queue: at most `depth` commands hold a tag, each arrives one per-command
// overhead after it got its tag, a retired command's tag goes to the oldest waiting one, and a
// command's wake-up is dropped once another is set or its record goes to another command.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "models/hdd/command_queue.hpp"

namespace blocksim::hdd {
namespace {

constexpr SimTime kOverhead = 100;

class HddCommandQueue : public ::testing::Test {
 protected:
  std::uint32_t write(std::uint64_t lba) { return queue_.accept(Op::kWrite, nullptr, lba, 8, 0, {}); }

  Engine engine_;
  std::vector<std::pair<std::uint32_t, SimTime>> arrivals_;  // (index, time)
  CommandQueue queue_{engine_, 2, kOverhead, [this](std::uint32_t index) {
                        arrivals_.emplace_back(index, engine_.now());
                      }};
};

TEST_F(HddCommandQueue, AtMostDepthCommandsArriveTheRestWaitForATag) {
  const std::uint32_t a = write(0), b = write(8), c = write(16);
  engine_.run();
  ASSERT_EQ(arrivals_.size(), 2u);  // depth 2: the third waits
  EXPECT_EQ(arrivals_[0], std::make_pair(a, kOverhead));
  EXPECT_EQ(arrivals_[1], std::make_pair(b, kOverhead));
  EXPECT_EQ(queue_.live(), (std::vector<std::uint32_t>{a, b}));
  EXPECT_FALSE(queue_.is_live(c));
  EXPECT_EQ(queue_.tags().waiting(), 1u);
  // Queue depth as each came: none, one and two commands already in flight.
  EXPECT_EQ(queue_[a].queue_depth, 0u);
  EXPECT_EQ(queue_[c].queue_depth, 2u);
  EXPECT_EQ(queue_[c].dispatch, 0);  // not yet given a tag
}

TEST_F(HddCommandQueue, ARetiredCommandsTagGoesToTheOldestWaiting) {
  const std::uint32_t a = write(0), b = write(8), c = write(16), d = write(24);
  engine_.run();
  engine_.at(1000, [&] { queue_.retire(b); });
  engine_.run();
  ASSERT_EQ(arrivals_.size(), 3u);
  EXPECT_EQ(arrivals_[2], std::make_pair(c, 1000 + kOverhead));  // c came before d
  EXPECT_EQ(queue_[c].dispatch, 1000);
  EXPECT_EQ(queue_.live(), (std::vector<std::uint32_t>{a, c}));
  EXPECT_FALSE(queue_.is_live(d));
  EXPECT_EQ(queue_.in_use(), 3u);
}

TEST_F(HddCommandQueue, OnlyTheLatestWakeUpOfALiveCommandRuns) {
  const std::uint32_t a = write(0);
  engine_.run();
  std::vector<std::pair<std::uint32_t, SimTime>> woken;
  auto step = [&](std::uint32_t index) { woken.emplace_back(index, engine_.now()); };
  queue_.wake_at(a, 500, step);
  queue_.wake_at(a, 700, step);  // replaces the one at 500
  engine_.run();
  EXPECT_EQ(woken, (std::vector<std::pair<std::uint32_t, SimTime>>{{a, 700}}));

  queue_.wake_at(a, 900, step);
  queue_.retire(a);
  const std::uint32_t reused = write(32);  // takes a's record
  ASSERT_EQ(reused, a);
  engine_.run();
  EXPECT_EQ(woken.size(), 1u);  // the old command's wake-up did not reach the new one
}

TEST_F(HddCommandQueue, AWakeUpInThePastRunsNow) {
  engine_.at(300, [] {});
  engine_.run();
  const std::uint32_t a = write(0);
  SimTime when = -1;
  queue_.wake_at(a, 10.4, [&](std::uint32_t) { when = engine_.now(); });
  engine_.run();
  EXPECT_EQ(when, 300);
}

}  // namespace
}  // namespace blocksim::hdd
