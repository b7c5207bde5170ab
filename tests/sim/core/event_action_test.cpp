// EventAction: runs what it holds, in place or on the heap, moves it, and destroys it exactly once.
#include <gtest/gtest.h>

#include <array>
#include <memory>

#include "sim/core/event_action.hpp"

namespace blocksim {
namespace {

TEST(EventAction, RunsSmallAndLargeCallables) {
  int ran = 0;
  EventAction small([&ran] { ++ran; });
  std::array<char, 200> big{};
  big[7] = 5;
  EventAction large([&ran, big] { ran += big[7]; });
  small();
  large();
  EXPECT_EQ(ran, 6);
}

TEST(EventAction, MovesAndDestroysWhatItHoldsOnce) {
  auto counted = std::make_shared<int>(0);
  std::array<char, 200> big{};
  for (bool large : {false, true}) {
    {
      EventAction first = large ? EventAction([counted, big] { ++*counted; }) : EventAction([counted] { ++*counted; });
      EXPECT_EQ(counted.use_count(), 2);
      EventAction second(std::move(first));
      EXPECT_FALSE(first);
      EventAction third;
      third = std::move(second);
      EXPECT_EQ(counted.use_count(), 2);
      third();
      third.reset();
      EXPECT_EQ(counted.use_count(), 1);
      EXPECT_FALSE(third);
    }
    EXPECT_EQ(counted.use_count(), 1);
  }
  EXPECT_EQ(*counted, 2);
}

}  // namespace
}  // namespace blocksim
