// The completion contract (driver-api.md: a started request completes exactly once), checked by
// the run's ledger: a device that drops a request leaves it outstanding, named with its layer,
// device, op and place; one that completes a request twice is caught at the second completion,
// which does not reach the driver; a call refused with an error is not counted as started.
#include <gtest/gtest.h>

#include <sstream>

#include "sim/device/request_ledger.hpp"
#include "tests/support/scripted_device.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

using testing::ScriptedDevice;
using testing::StackHarness;

TEST(CompletionContract, ADroppedRequestStaysOutstandingAndIsNamed) {
  StackHarness h;
  ScriptedDevice device(h.engine, 512, 1 << 20);
  device.answers = {{}, {kIOReturnSuccess, kIOReturnSuccess, -1, 1000, 0}, {}};
  auto driver = h.make_driver(device);
  IOMedia& media = *h.registry.find("disk0");
  ASSERT_TRUE(media.open(&h.client, kIOStorageAccessReader));
  auto& first = h.submit(media, IODirection::kIn, 0, 4096);
  auto& dropped = h.submit(media, IODirection::kIn, 8192, 4096);
  auto& third = h.submit(media, IODirection::kIn, 16384, 4096);
  h.engine.run();

  EXPECT_EQ(first.result.calls, 1);
  EXPECT_EQ(dropped.result.calls, 0);
  EXPECT_EQ(third.result.calls, 1);
  EXPECT_EQ(h.ledger.outstanding(), 1u);
  EXPECT_FALSE(h.ledger.kept());
  EXPECT_TRUE(h.ledger.kept(/*outstanding_allowed=*/true));  // as after a power cut
  const auto lost = h.ledger.oldest_outstanding(5, false);
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0].layer, Layer::kDevice);
  EXPECT_EQ(lost[0].op, Op::kRead);
  EXPECT_EQ(lost[0].offset, 16u);  // block 16 of 512 bytes: byte 8192
  EXPECT_EQ(lost[0].length, 8u);
  std::ostringstream report;
  h.ledger.report(report);
  EXPECT_NE(report.str().find("requests never completed: 1"), std::string::npos) << report.str();
  EXPECT_NE(report.str().find("device layer, device 0, read at block 16 length 8 blocks"), std::string::npos)
      << report.str();
}

TEST(CompletionContract, ASecondCompletionIsCaughtAndNotPassedUp) {
  StackHarness h;
  ScriptedDevice device(h.engine, 512, 1 << 20);
  device.answers = {{kIOReturnSuccess, kIOReturnSuccess, -1, 1000, 2}};
  auto driver = h.make_driver(device);
  IOMedia& media = *h.registry.find("disk0");
  ASSERT_TRUE(media.open(&h.client, kIOStorageAccessReader));
  std::vector<std::string> seen;
  h.ledger.set_violation_handler([&](const std::string& text) { seen.push_back(text); });
  auto& twice = h.submit(media, IODirection::kIn, 4096, 512);
  h.engine.run();

  EXPECT_EQ(twice.result.calls, 1);  // the driver and its client saw it end once
  EXPECT_EQ(h.ledger.outstanding(), 0u);
  EXPECT_EQ(h.ledger.double_completions(), 1u);
  EXPECT_FALSE(h.ledger.kept(true));  // a violation breaks the contract even after a power cut
  ASSERT_EQ(seen.size(), 1u);  // reported the moment it happened
  EXPECT_NE(seen[0].find("completed a second time at 1000 ns"), std::string::npos) << seen[0];
  EXPECT_NE(seen[0].find("read at block 8 length 1 blocks"), std::string::npos) << seen[0];
}

TEST(CompletionContract, ARefusedCallIsNotStartedAndItsLateCompletionIsCaught) {
  RequestLedger ledger;  // no engine: completions are stamped at time 0
  int calls = 0;
  auto count = [](void* target, void*, IOReturn, std::uint64_t) { ++*static_cast<int*>(target); };
  LedgerRequest request;
  request.op = Op::kFlush;
  const IOStorageCompletion wrapped = ledger.open(request, IOStorageCompletion{&calls, count, nullptr});
  ledger.refused(wrapped);
  EXPECT_EQ(ledger.outstanding(), 0u);
  EXPECT_TRUE(ledger.kept());
  complete(wrapped, kIOReturnSuccess, 0);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(ledger.late_completions(), 1u);
  EXPECT_FALSE(ledger.kept());
}

TEST(CompletionContract, AReusedEntryIsToldFromItsPredecessor) {
  RequestLedger ledger;  // no engine: completions are stamped at time 0
  int first = 0, second = 0;
  auto count = [](void* target, void*, IOReturn, std::uint64_t) { ++*static_cast<int*>(target); };
  const IOStorageCompletion a = ledger.open({}, IOStorageCompletion{&first, count, nullptr});
  complete(a, kIOReturnSuccess, 0);
  const IOStorageCompletion b = ledger.open({}, IOStorageCompletion{&second, count, nullptr});  // same slot
  complete(a, kIOReturnSuccess, 0);  // a stale second completion of the first request
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 0);
  EXPECT_EQ(ledger.outstanding(), 1u);  // b is still open
  EXPECT_EQ(ledger.double_completions(), 1u);
  complete(b, kIOReturnSuccess, 0);
  EXPECT_EQ(second, 1);
  EXPECT_EQ(ledger.outstanding(), 0u);
}

}  // namespace
}  // namespace blocksim
