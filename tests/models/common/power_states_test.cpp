// Low-power states against hand-worked timelines (power.proto, models/common/power_states.hpp).
// The device is the reference model serving one 4 KiB read in S = 100 us (fixed media time) +
// 4096 B / 1 GB/s (4.096 us of DMA) = 104.096 us, with the two non-operational states a Samsung
// 970 EVO Plus reports (PS3: entry 0.21 ms, exit 1.2 ms; PS4: entry 2 ms, exit 8 ms) and an APST
// table entering PS3 after 1 ms idle and PS4 after 5 ms. Each test places reads at chosen times
// after the first completes (at S) and works out by hand when each must complete.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/device_registry.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/support/recording_sink.hpp"

namespace blocksim {
namespace {

constexpr SimTime kUs = 1000;
constexpr SimTime kMs = 1000 * kUs;
constexpr SimTime kService = 100 * kUs + 4096;  // media + DMA at 1 GB/s
constexpr SimTime kPs3Entry = 210 * kUs, kPs3Exit = 1200 * kUs;
constexpr SimTime kPs4Entry = 2 * kMs, kPs4Exit = 8 * kMs;

const char* kPowered = R"(
    power { state { name: "PS3" entry_latency: "210us" exit_latency: "1.2ms" }
            state { name: "PS4" entry_latency: "2ms" exit_latency: "8ms" }
            autonomous { state: "PS3" idle_time: "1ms" }
            autonomous { state: "PS4" idle_time: "5ms" } })";

class PowerStatesTest : public ::testing::Test {
 protected:
  void build(const std::string& device_fields) {
    const auto loaded = testing::scenario_from_text(R"(
      bus { name: "bus" bandwidth: "1GB/s" }
      device { capacity: "1MiB" block_size: "4KiB" )" + device_fields + R"(
               reference { queue_depth: 1 service { fixed: "100us" } } }
      workload { job { requests: 1 } })");
    engine_ = std::make_unique<Engine>();
    DeviceContext context;
    context.engine = engine_.get();
    context.dma = engine_->add_endpoint("dev", engine_->add_bus("bus", 1e9, 0, false));
    context.sink = &sink_;
    device_ = make_device(context, loaded.scenario.device(0));
  }

  // A 4 KiB read of block `key` at simulated time `at`; its completion time lands in done_[key].
  void read_at(SimTime at, std::uint64_t key) {
    engine_->at(at, [this, key] {
      auto buffer = std::make_unique<IOMemoryDescriptor>();
      buffer->direction = IODirection::kIn;
      buffer->length = 4096;
      buffer->request_id = key;
      IOStorageCompletion completion{this, &PowerStatesTest::on_done, reinterpret_cast<void*>(key)};
      EXPECT_EQ(device_->doAsyncReadWrite(buffer.get(), key, 1, nullptr, &completion), kIOReturnSuccess);
      buffers_.push_back(std::move(buffer));
    });
  }
  static void on_done(void* target, void* parameter, IOReturn status, std::uint64_t) {
    auto* self = static_cast<PowerStatesTest*>(target);
    const auto key = reinterpret_cast<std::uintptr_t>(parameter);
    EXPECT_EQ(status, kIOReturnSuccess);
    EXPECT_EQ(self->done_.count(key), 0u) << "request " << key << " completed twice";
    self->done_[key] = self->engine_->now();
  }

  std::map<std::string, double> metrics() const {
    std::vector<DeviceMetric> out;
    device_->collect_metrics(&out);
    std::map<std::string, double> by_name;
    for (const auto& m : out)
      by_name[m.name] = m.value;
    return by_name;
  }
  // The device-layer record of request `key`.
  CompletionRecord record_of(std::uint64_t key) const {
    for (const auto& r : sink_.records)
      if (r.request_id == key && r.layer == Layer::kDevice)
        return r;
    ADD_FAILURE() << "no record of request " << key;
    return {};
  }

  std::unique_ptr<Engine> engine_;
  testing::RecordingSink sink_;
  std::unique_ptr<IOBlockStorageDevice> device_;
  std::vector<std::unique_ptr<IOMemoryDescriptor>> buffers_;
  std::map<std::uint64_t, SimTime> done_;
};

TEST_F(PowerStatesTest, WithoutStatesTheCallsAreUnsupportedAndTimingIsUnchanged) {
  build("");
  std::uint32_t state = 7;
  EXPECT_EQ(device_->setPowerState(1), kIOReturnUnsupported);
  EXPECT_EQ(device_->getPowerState(&state), kIOReturnUnsupported);
  EXPECT_EQ(state, 7u);
  EXPECT_EQ(device_->requestIdle(), kIOReturnUnsupported);
  read_at(0, 1);
  read_at(kService + 50 * kMs, 2);
  engine_->run();
  EXPECT_EQ(done_.at(1), kService);
  EXPECT_EQ(done_.at(2), kService + 50 * kMs + kService);
  EXPECT_EQ(metrics().count("power.active_ns"), 0u);
}

TEST_F(PowerStatesTest, ARequestBeforeTheIdleTimeSeesNoPenalty) {
  build(kPowered);
  read_at(0, 1);
  read_at(kService + 999 * kUs, 2);  // 1 us short of PS3's idle time
  engine_->run();
  EXPECT_EQ(done_.at(1), kService);
  EXPECT_EQ(done_.at(2) - (kService + 999 * kUs), kService);
  EXPECT_EQ(metrics().at("power.waited_requests"), 0);
}

TEST_F(PowerStatesTest, ARequestInAStateWaitsItsExitLatency) {
  build(kPowered);
  read_at(0, 1);
  // PS3 entered at S + 1 ms, reached at S + 1.21 ms; the read comes at S + 1.5 ms.
  const SimTime arrival = kService + 1500 * kUs;
  read_at(arrival, 2);
  engine_->run();
  EXPECT_EQ(done_.at(2) - arrival, kPs3Exit + kService);
  // The device layer's latency holds the wait: submit is the arrival, dispatch after the exit.
  const CompletionRecord r = record_of(2);
  EXPECT_EQ(r.submit, arrival);
  EXPECT_EQ(r.dispatch, arrival + kPs3Exit);
  const auto m = metrics();
  EXPECT_EQ(m.at("power.waited_requests"), 1);
  EXPECT_EQ(m.at("power.entries"), 1);
  EXPECT_EQ(m.at("power.exits"), 1);
}

TEST_F(PowerStatesTest, ARequestDuringEntryWaitsTheRestOfTheEntryThenTheExit) {
  build(kPowered);
  read_at(0, 1);
  // PS3's entry runs from S + 1 ms to S + 1.21 ms; the read comes 0.1 ms into it.
  const SimTime arrival = kService + 1100 * kUs;
  read_at(arrival, 2);
  engine_->run();
  EXPECT_EQ(done_.at(2) - arrival, (kPs3Entry - 100 * kUs) + kPs3Exit + kService);
}

TEST_F(PowerStatesTest, TheDeeperStateFollowsAndTimeInStatesAddsUpToTheRun) {
  build(kPowered);
  read_at(0, 1);
  // Idle from S: PS3 entry S+1..S+1.21 ms, PS3 until S+5 ms, PS4 entry S+5..S+7 ms, PS4 until the
  // read at S+20 ms, whose exit takes 8 ms; the read ends at S+28 ms+S, and the run with it (the
  // next idle timer is a background event).
  const SimTime arrival = kService + 20 * kMs;
  read_at(arrival, 2);
  engine_->run();
  EXPECT_EQ(done_.at(2) - arrival, kPs4Exit + kService);
  const SimTime end = engine_->now();
  EXPECT_EQ(end, arrival + kPs4Exit + kService);
  const auto m = metrics();
  EXPECT_EQ(m.at("power.active_ns"), static_cast<double>(kService + 1 * kMs + kService));
  EXPECT_EQ(m.at("power.PS3_ns"), static_cast<double>(5 * kMs - 1 * kMs - kPs3Entry));
  EXPECT_EQ(m.at("power.PS4_ns"), static_cast<double>(20 * kMs - 5 * kMs - kPs4Entry));
  EXPECT_EQ(m.at("power.transition_ns"), static_cast<double>(kPs3Entry + kPs4Entry + kPs4Exit));
  EXPECT_EQ(m.at("power.active_ns") + m.at("power.PS3_ns") + m.at("power.PS4_ns") + m.at("power.transition_ns"),
            static_cast<double>(end));
  EXPECT_EQ(m.at("power.entries"), 2);
  EXPECT_EQ(m.at("power.exits"), 1);
}

TEST_F(PowerStatesTest, ABusyDeviceCountsItsIdleTimeFromItsLastCompletion) {
  build(kPowered);
  // Reads every 0.9 ms for 9 ms: never 1 ms idle, so never a low-power state.
  for (std::uint64_t i = 0; i < 10; ++i)
    read_at(static_cast<SimTime>(i) * 900 * kUs, i + 1);
  engine_->run();
  for (std::uint64_t i = 0; i < 10; ++i)
    EXPECT_EQ(done_.at(i + 1), static_cast<SimTime>(i) * 900 * kUs + kService) << "read " << i;
  EXPECT_EQ(metrics().at("power.waited_requests"), 0);
}

TEST_F(PowerStatesTest, SetPowerStateEntersAtOnceAndTheNextRequestWakesTheDevice) {
  build(R"(power { state { name: "PS3" entry_latency: "210us" exit_latency: "1.2ms" }
                   state { name: "PS4" entry_latency: "2ms" exit_latency: "8ms" } })");
  std::uint32_t state = 9;
  EXPECT_EQ(device_->setPowerState(3), kIOReturnBadArgument);
  ASSERT_EQ(device_->getPowerState(&state), kIOReturnSuccess);
  EXPECT_EQ(state, 0u);
  engine_->at(1 * kMs, [this] { EXPECT_EQ(device_->setPowerState(2), kIOReturnSuccess); });
  engine_->at(1 * kMs + 1, [this] {
    std::uint32_t s = 0;
    device_->getPowerState(&s);
    EXPECT_EQ(s, 2u);
  });
  read_at(2 * kMs, 1);  // 1 ms into PS4's 2 ms entry
  // With no APST table the device stays awake afterwards, however long it is idle.
  read_at(50 * kMs, 2);
  engine_->run();
  EXPECT_EQ(done_.at(1) - 2 * kMs, 1 * kMs + kPs4Exit + kService);
  EXPECT_EQ(done_.at(2) - 50 * kMs, kService);
}

TEST_F(PowerStatesTest, RequestIdleAsksForTheDeepestStateAndSetPowerStateZeroWakes) {
  build(R"(power { state { name: "standby" entry_latency: "0.5s" exit_latency: "6s" } })");
  EXPECT_EQ(device_->requestIdle(), kIOReturnSuccess);
  // Wake at 2 s without a request: the spin-up ends at 8 s, so a read at 9 s is served at once.
  engine_->at(2'000 * kMs, [this] { EXPECT_EQ(device_->setPowerState(0), kIOReturnSuccess); });
  read_at(9'000 * kMs, 1);
  engine_->run();
  EXPECT_EQ(done_.at(1) - 9'000 * kMs, kService);
  const auto m = metrics();
  EXPECT_EQ(m.at("power.standby_ns"), static_cast<double>(2'000 * kMs - 500 * kMs));
  EXPECT_EQ(m.at("power.waited_requests"), 0);
}

TEST_F(PowerStatesTest, RequestsThatWaitGoToTheModelInArrivalOrder) {
  build(R"(power { state { name: "standby" entry_latency: "1ms" exit_latency: "10ms" } })");
  EXPECT_EQ(device_->requestIdle(), kIOReturnSuccess);
  // Three reads during the spin-up of a queue-depth-1 device: served one after the other.
  read_at(5 * kMs, 1);
  read_at(6 * kMs, 2);
  read_at(7 * kMs, 3);
  engine_->run();
  const SimTime awake = 5 * kMs + 10 * kMs;  // entry ended at 1 ms; the exit starts at 5 ms
  EXPECT_EQ(done_.at(1), awake + kService);
  EXPECT_EQ(done_.at(2), awake + 2 * kService);
  EXPECT_EQ(done_.at(3), awake + 3 * kService);
  EXPECT_EQ(metrics().at("power.waited_requests"), 3);
}

}  // namespace
}  // namespace blocksim
