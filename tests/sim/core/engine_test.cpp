// The engine: nanosecond clock, timers in order, and DMA transfers sharing a bus exactly as
// bandwidth arithmetic says (CM02, no cross-traffic).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/core/engine.hpp"

namespace blocksim {
namespace {

TEST(Engine, TimersRunInOrderOnTheNanosecondClock) {
  Engine engine;
  std::vector<std::pair<int, SimTime>> fired;
  engine.at(3'000, [&] { fired.push_back({3, engine.now()}); });
  engine.at(1, [&] { fired.push_back({1, engine.now()}); });
  engine.at(2'000'000'000'000, [&] { fired.push_back({4, engine.now()}); });
  engine.after(1'500, [&] {
    fired.push_back({2, engine.now()});
    engine.after(7, [&] { fired.push_back({5, engine.now()}); });
  });
  engine.run();
  const std::vector<std::pair<int, SimTime>> expected = {{1, 1}, {2, 1'500}, {5, 1'507}, {3, 3'000},
                                                         {4, 2'000'000'000'000}};
  EXPECT_EQ(fired, expected);
}

TEST(Engine, EventsAtOneTimeRunInSchedulingOrder) {
  Engine engine;
  std::vector<int> order;
  for (int i = 0; i < 100; ++i)
    engine.at(5'000, [&order, i] { order.push_back(i); });
  engine.run();
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
}

struct Log {
  std::vector<std::pair<std::string, SimTime>> entries;
  Engine* engine;
  void transfer_done(std::uint64_t tag) {
    entries.push_back({"transfer " + std::to_string(tag), engine->now()});
    if (tag == 1)
      engine->after(250, [this] { entries.push_back({"after transfer 1", engine->now()}); });
  }
};

// Events and transfer ends interleave in time order, whichever side schedules them.
TEST(Engine, EventsAndTransfersInterleaveInTimeOrder) {
  Engine engine;
  const Endpoint dev = engine.add_endpoint("dev", engine.add_bus("bus", 1e9, 0, false));
  Log log{{}, &engine};
  engine.at(100, [&] {
    log.entries.push_back({"start", engine.now()});
    // 1000 bytes at 1 GB/s: 1000 ns; started at 100, ends at 1100.
    engine.transfer(dev, TransferDirection::kToHost, 1000, Callback::to<Log, &Log::transfer_done>(&log, 1));
    engine.at(600, [&] { log.entries.push_back({"event 600", engine.now()}); });
    engine.at(1'500, [&] {
      log.entries.push_back({"event 1500", engine.now()});
      engine.transfer(dev, TransferDirection::kFromHost, 500, Callback::to<Log, &Log::transfer_done>(&log, 2));
    });
  });
  engine.run();
  const std::vector<std::pair<std::string, SimTime>> expected = {
      {"start", 100},       {"event 600", 600},   {"transfer 1", 1'100}, {"after transfer 1", 1'350},
      {"event 1500", 1'500}, {"transfer 2", 2'000}};
  EXPECT_EQ(log.entries, expected);
}

TEST(Engine, SecondEngineInOneProcessIsRefused) {
  Engine engine;
  EXPECT_THROW(Engine another, std::logic_error);
}

struct TransferLog {
  std::vector<SimTime> done;
  Engine* engine;
  void completed(std::uint64_t) { done.push_back(engine->now()); }
};

// 16 concurrent transfers of 128 KiB over a 4 GB/s bus take 16 times one alone, and the whole
// takes total bytes / bandwidth: 16 x 131072 B / 4e9 B/s = 524.288 us.
TEST(Engine, ConcurrentTransfersShareTheBusExactly) {
  Engine engine;
  const BusHandle bus = engine.add_bus("bus", 4e9, 0, false);
  std::vector<Endpoint> endpoints;
  for (int i = 0; i < 16; ++i)
    endpoints.push_back(engine.add_endpoint("dev" + std::to_string(i), bus));
  TransferLog alone{{}, &engine};
  TransferLog together{{}, &engine};
  const SimTime one_ns = 32'768;  // 131072 B / 4e9 B/s
  engine.transfer(endpoints[0], TransferDirection::kToHost, 131072,
                  Callback::to<TransferLog, &TransferLog::completed>(&alone, 0));
  const SimTime start = 1'000'000;
  engine.at(start, [&] {
    for (int i = 0; i < 16; ++i)
      engine.transfer(endpoints[static_cast<std::size_t>(i)], i % 2 ? TransferDirection::kToHost
                                                                     : TransferDirection::kFromHost,
                      131072, Callback::to<TransferLog, &TransferLog::completed>(&together, 0));
  });
  engine.run();
  ASSERT_EQ(alone.done.size(), 1u);
  EXPECT_EQ(alone.done[0], one_ns);
  ASSERT_EQ(together.done.size(), 16u);
  for (SimTime t : together.done)
    EXPECT_EQ(t - start, 16 * one_ns);
  EXPECT_EQ(engine.transfers_in_flight(), 0u);
}

// A full-duplex bus moves a read and a write at full speed together; a half-duplex one shares.
TEST(Engine, FullDuplexBusCarriesBothDirectionsAtFullRate) {
  Engine engine;
  const BusHandle duplex = engine.add_bus("duplex", 1e9, 0, true);
  const Endpoint a = engine.add_endpoint("a", duplex);
  const Endpoint b = engine.add_endpoint("b", duplex);
  TransferLog log{{}, &engine};
  engine.transfer(a, TransferDirection::kToHost, 1'000'000, Callback::to<TransferLog, &TransferLog::completed>(&log, 0));
  engine.transfer(b, TransferDirection::kFromHost, 1'000'000,
                  Callback::to<TransferLog, &TransferLog::completed>(&log, 0));
  engine.run();
  ASSERT_EQ(log.done.size(), 2u);
  EXPECT_EQ(log.done[0], 1'000'000);
  EXPECT_EQ(log.done[1], 1'000'000);
}

// Bus latency adds once per transfer; a DMA engine's own rate caps it below the bus.
TEST(Engine, LatencyAndEndpointRateCap) {
  Engine engine;
  const BusHandle bus = engine.add_bus("bus", 4e9, 2'000, false);
  const Endpoint slow = engine.add_endpoint("slow", bus, 1e9);
  TransferLog log{{}, &engine};
  engine.transfer(slow, TransferDirection::kToHost, 1'000'000, Callback::to<TransferLog, &TransferLog::completed>(&log, 0));
  engine.run();
  ASSERT_EQ(log.done.size(), 1u);
  EXPECT_EQ(log.done[0], 1'000'000 + 2'000);
}

}  // namespace
}  // namespace blocksim

namespace blocksim {
namespace {

struct Finished {
  SimTime at = -1;
  Engine* engine = nullptr;
  void done(std::uint64_t) { at = engine->now(); }
};

// A bus slowing down in the middle of a transfer: 2 MB at 1 GB/s; at 1 ms half of it has moved,
// the bus drops to 0.5 GB/s, and the other 1 MB takes 2 ms: the transfer ends at 3 ms.
TEST(Engine, ABusSlowedDownMidTransferMovesTheRestAtTheNewBandwidth) {
  Engine engine;
  const BusHandle bus = engine.add_bus("bus", 1e9, 0, false);
  const Endpoint device = engine.add_endpoint("device", bus);
  Finished finished{-1, &engine};
  engine.transfer(device, TransferDirection::kToHost, 2'000'000, Callback::to<Finished, &Finished::done>(&finished, 0));
  engine.at(1'000'000, [&] { engine.set_bus_bandwidth(bus, 0.5e9); });
  engine.run();
  EXPECT_EQ(finished.at, 3'000'000);
  EXPECT_DOUBLE_EQ(engine.bus_bandwidth(bus), 0.5e9);
}

// Slowed while idle (SimGrid's clock behind the engine's): the next transfer sees the new rate.
TEST(Engine, ABusSlowedDownWhileIdleServesTheNextTransferAtTheNewBandwidth) {
  Engine engine;
  const BusHandle bus = engine.add_bus("bus", 1e9, 0, true);
  const Endpoint device = engine.add_endpoint("device", bus);
  Finished finished{-1, &engine};
  engine.at(5'000'000, [&] {
    engine.set_bus_bandwidth(bus, 0.25e9);
    engine.transfer(device, TransferDirection::kFromHost, 1'000'000,
                    Callback::to<Finished, &Finished::done>(&finished, 0));
  });
  engine.run();
  EXPECT_EQ(finished.at, 9'000'000);
}

}  // namespace
}  // namespace blocksim

namespace blocksim {
namespace {

// A transfer alone is timed by the engine (SimGrid times nothing); a second one coming onto the
// bus half-way makes both SimGrid's, sharing from that instant. Hand calculation, 1 GB/s, 1 MB
// each: A moves 0.5 MB alone by 0.5 ms, then both move at 0.5 GB/s: A's other 0.5 MB ends at
// 1.5 ms, when B has moved 0.5 MB; B's rest alone at 1 GB/s ends at 2 ms. The same both ways.
void second_transfer_mid_way(TransferTiming timing) {
  Engine engine(EngineOptions{false, timing});
  const BusHandle bus = engine.add_bus("bus", 1e9, 0, false);
  const Endpoint a = engine.add_endpoint("a", bus);
  const Endpoint b = engine.add_endpoint("b", bus);
  Finished first{-1, &engine};
  Finished second{-1, &engine};
  std::size_t simgrid_timing_alone = 99;
  engine.transfer(a, TransferDirection::kToHost, 1'000'000, Callback::to<Finished, &Finished::done>(&first, 0));
  engine.at(250'000, [&] { simgrid_timing_alone = engine.shared_transfers_in_flight(); });
  engine.at(500'000, [&] {
    engine.transfer(b, TransferDirection::kFromHost, 1'000'000, Callback::to<Finished, &Finished::done>(&second, 0));
  });
  engine.run();
  EXPECT_EQ(first.at, 1'500'000);
  EXPECT_EQ(second.at, 2'000'000);
  EXPECT_EQ(simgrid_timing_alone, timing == TransferTiming::kFast ? 0u : 1u);
}

TEST(Engine, ASecondTransferMidWaySharesFromThenOn) { second_transfer_mid_way(TransferTiming::kFast); }
TEST(Engine, ASecondTransferMidWaySharesFromThenOnInSimGridOnly) {
  second_transfer_mid_way(TransferTiming::kSimGridOnly);
}

}  // namespace
}  // namespace blocksim
