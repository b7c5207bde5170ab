// Each fault of docs/faults.md, with the status and timing that reach each layer: the device
// (its device-layer record), the driver (its record, statistics and retries), the whole-disk
// media, and the aio calls (aio_errno). The device is the reference device with a fixed 1 ms
// media time on a 4 GB/s bus, so a 4 KiB read takes 1 ms + 4096 B / 4 GB/s = 1,001,024 ns and a
// 4 KiB write (DMA first, then the media, no write cache) the same; every figure below is a
// multiple of that worked out by hand.
#include <gtest/gtest.h>

#include <fcntl.h>

#include "models/device_registry.hpp"
#include "sim/aio/aio_front_end.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

using testing::Io;
using testing::StackHarness;

constexpr SimTime kAttempt = 1'000'000 + 1'024;  // media 1 ms + 4 KiB at 4 GB/s
constexpr std::uint64_t kBlock = 512;

class FaultTest : public ::testing::Test {
 protected:
  void build(const std::string& media = "", DriverRetryPolicy policy = {}) {
    device_ = h_.make_device(R"(capacity: "1MiB" block_size: "512" carry_data: true )" + media +
                             R"( reference { queue_depth: 4 media_servers: 4 service { fixed: "1ms" } })");
    injector_ = fault_injector(*device_);
    ASSERT_NE(injector_, nullptr);
    driver_ = std::make_unique<IOBlockStorageDriver>(h_.context(), *device_, "disk0", 0);
    driver_->set_retry_policy(policy);
    ASSERT_EQ(driver_->start(), kIOReturnSuccess);
  }
  std::vector<CompletionRecord> records(Layer layer, std::uint64_t request_id) const {
    std::vector<CompletionRecord> out;
    for (const auto& r : h_.sink.records)
      if (r.layer == layer && (r.request_id == request_id || r.parent_id == request_id))
        out.push_back(r);
    return out;
  }
  std::vector<CompletionRecord> device_records() const { return testing::at_layer(h_.sink.records, Layer::kDevice); }

  StackHarness h_;
  std::unique_ptr<IOBlockStorageDevice> device_;
  FaultInjector* injector_ = nullptr;
  std::unique_ptr<IOBlockStorageDriver> driver_;
};

TEST_F(FaultTest, UnreadableSectorsFailAfterTheDevicesRetriesAndAWriteRepairsThem) {
  build();
  injector_->add_unreadable(16, 4, 3);  // blocks 16..19, three retries

  Io& good = h_.read(*driver_, 8 * kBlock, 4096);  // blocks 8..15: untouched
  EXPECT_EQ(good.result.status, kIOReturnSuccess);
  EXPECT_EQ(good.result.completed_at, kAttempt);

  const SimTime start = h_.engine.now();
  Io& bad = h_.read(*driver_, 12 * kBlock, 4096);  // blocks 12..19 touch the bad range
  EXPECT_EQ(bad.result.status, kIOReturnIOError);
  EXPECT_EQ(bad.result.bytes, 0u);
  EXPECT_EQ(bad.result.completed_at - start, 4 * kAttempt);  // the first try and three retries
  const auto device = records(Layer::kDevice, bad.buffer.request_id);
  ASSERT_EQ(device.size(), 1u);  // the retries are the device's own: one device request
  EXPECT_EQ(device[0].status, kIOReturnIOError);
  EXPECT_EQ(device[0].bytes, 0u);
  EXPECT_EQ(device[0].complete - device[0].submit, 4 * kAttempt);
  const auto driver = records(Layer::kDriver, bad.buffer.request_id);
  ASSERT_EQ(driver.size(), 1u);
  EXPECT_EQ(driver[0].status, kIOReturnIOError);
  EXPECT_EQ(driver_->getStatistic(IOBlockStorageDriver::kStatisticsReadErrors), 1u);

  // A write over the range repairs it: the next read succeeds in one try and returns the bytes.
  const auto data = StackHarness::pattern(4096, 7);
  EXPECT_EQ(h_.write(*driver_, 16 * kBlock, data).result.status, kIOReturnSuccess);
  const SimTime again = h_.engine.now();
  Io& repaired = h_.read(*driver_, 16 * kBlock, 4096);
  EXPECT_EQ(repaired.result.status, kIOReturnSuccess);
  EXPECT_EQ(repaired.result.completed_at - again, kAttempt);
  EXPECT_EQ(repaired.bytes, data);
  std::vector<DeviceMetric> metrics;
  device_->collect_metrics(&metrics);
  auto metric = [&](const std::string& name) {
    for (const auto& m : metrics)
      if (m.name == name)
        return m.value;
    return -1.0;
  };
  EXPECT_EQ(metric("faults.failed_reads"), 1);
  EXPECT_EQ(metric("faults.repaired_blocks"), 4);
  EXPECT_EQ(metric("faults.unreadable_blocks"), 0);
}

TEST_F(FaultTest, FailingWritesFailAfterTheirRetriesAndReadsStillWork) {
  build();
  injector_->add_failing_writes(100, 0, 1);  // from block 100 to the end, one retry
  const auto data = StackHarness::pattern(4096, 3);
  Io& ok = h_.write(*driver_, 0, data);
  EXPECT_EQ(ok.result.status, kIOReturnSuccess);
  const SimTime start = h_.engine.now();
  Io& failed = h_.write(*driver_, 96 * kBlock, data);  // blocks 96..103
  EXPECT_EQ(failed.result.status, kIOReturnIOError);
  EXPECT_EQ(failed.result.completed_at - start, 2 * kAttempt);
  const auto device = records(Layer::kDevice, failed.buffer.request_id);
  ASSERT_EQ(device.size(), 1u);
  EXPECT_EQ(device[0].status, kIOReturnIOError);
  EXPECT_EQ(device[0].op, Op::kWrite);
  EXPECT_EQ(driver_->getStatistic(IOBlockStorageDriver::kStatisticsWriteErrors), 1u);
  EXPECT_EQ(h_.read(*driver_, 200 * kBlock, 4096).result.status, kIOReturnSuccess);
}

TEST_F(FaultTest, TheDriverRetriesADeviceErrorWhenItsPolicySaysSo) {
  DriverRetryPolicy policy;
  policy.retries = 2;
  policy.retry_errors = true;
  build("", policy);
  injector_->add_unreadable(0, 8, 0);  // fails at once: no device retries
  Io& bad = h_.read(*driver_, 0, 4096);
  EXPECT_EQ(bad.result.status, kIOReturnIOError);
  EXPECT_EQ(bad.result.completed_at, 3 * kAttempt);  // the first call and two driver retries
  const auto device = records(Layer::kDevice, bad.buffer.request_id);
  ASSERT_EQ(device.size(), 3u);
  for (const auto& r : device)
    EXPECT_EQ(r.status, kIOReturnIOError);
  // The retries are device requests of their own, split from the client's request.
  EXPECT_EQ(device[0].request_id, bad.buffer.request_id);
  EXPECT_EQ(device[1].parent_id, bad.buffer.request_id);
  EXPECT_NE(device[1].request_id, device[2].request_id);
  EXPECT_EQ(driver_->getStatistic(IOBlockStorageDriver::kStatisticsReadRetries), 2u);
}

TEST_F(FaultTest, ADeviceThatStopsAnsweringTimesOutInTheDriverAfterEachRetry) {
  DriverRetryPolicy policy;
  policy.timeout = 100'000'000;  // 100 ms
  policy.retries = 2;
  build("", policy);
  Io& in_flight = h_.submit(*driver_, IODirection::kIn, 0, 4096);  // the model has it at 0
  h_.engine.at(500'000, [this] { injector_->stop_responding(); });
  h_.engine.run();
  // Three calls, each aborted at its deadline: 100, 200 and 300 ms.
  EXPECT_EQ(in_flight.result.status, kIOReturnTimeout);
  EXPECT_EQ(in_flight.result.completed_at, 300'000'000);
  const auto device = records(Layer::kDevice, in_flight.buffer.request_id);
  ASSERT_EQ(device.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(device[i].status, kIOReturnAborted);
    EXPECT_EQ(device[i].complete, (i + 1) * 100'000'000);
  }
  const auto driver = records(Layer::kDriver, in_flight.buffer.request_id);
  ASSERT_EQ(driver.size(), 1u);
  EXPECT_EQ(driver[0].status, kIOReturnTimeout);
  EXPECT_EQ(driver_->getStatistic(IOBlockStorageDriver::kStatisticsReadRetries), 2u);
  // Commands the driver waits on fail at once.
  EXPECT_EQ(device_->doSynchronize(0, 0, 0, nullptr), kIOReturnNotResponding);
}

TEST_F(FaultTest, WithoutATimeoutARequestToASilentDeviceNeverCompletes) {
  DriverRetryPolicy policy;
  policy.timeout = 0;
  build("", policy);
  injector_->stop_responding();
  Io& io = h_.submit(*driver_, IODirection::kIn, 0, 4096);
  h_.engine.run();
  EXPECT_EQ(io.result.calls, 0);
  EXPECT_EQ(driver_->requests_in_flight(), 1u);
}

TEST_F(FaultTest, SurpriseRemovalAbortsWhatIsInFlightAndLaterCallsFindNoDevice) {
  build();
  AioFrontEnd aio(h_.context(), {});
  const int fd = aio.open(driver_->media(), O_RDWR);
  ASSERT_GE(fd, 0);
  char buffer[2][4096] = {};
  aio_result_t results[2];
  ASSERT_EQ(aio.aioread(fd, buffer[0], 4096, 0, SEEK_SET, &results[0]), 0);
  ASSERT_EQ(aio.aioread(fd, buffer[1], 4096, 8192, SEEK_SET, &results[1]), 0);
  h_.engine.at(500'000, [this] { injector_->remove_device(); });
  h_.engine.run();
  for (const auto& r : results) {  // aborted at 0.5 ms, seen by the application as EBUSY (§1.1)
    EXPECT_EQ(r.aio_return, -1);
    EXPECT_EQ(r.aio_errno, EBUSY);
  }
  int aborted = 0;
  for (const auto& r : h_.sink.records) {
    if (r.layer == Layer::kDevice || r.layer == Layer::kDriver) {
      EXPECT_EQ(r.status, kIOReturnAborted);
      EXPECT_EQ(r.complete, 500'000);
      aborted += r.layer == Layer::kDevice;
    }
  }
  EXPECT_EQ(aborted, 2);
  // The driver's media went with the device: the media refuses (kIOReturnNoMedia, ENXIO), the
  // driver finds no media, the device itself answers kIOReturnNoDevice.
  EXPECT_EQ(driver_->media(), nullptr);
  aio_result_t later;
  ASSERT_EQ(aio.aioread(fd, buffer[0], 4096, 0, SEEK_SET, &later), 0);
  h_.engine.run();
  EXPECT_EQ(later.aio_errno, ENXIO);
  EXPECT_EQ(h_.sink.records.back().layer, Layer::kAio);
  EXPECT_EQ(h_.sink.records.back().status, kIOReturnNoMedia);
  EXPECT_EQ(h_.read(*driver_, 0, 4096).result.status, kIOReturnNoMedia);
  IOMemoryDescriptor direct{IODirection::kIn, 4096, nullptr, 99};
  EXPECT_EQ(device_->doAsyncReadWrite(&direct, 0, 8, nullptr, nullptr), kIOReturnNoDevice);
}

TEST_F(FaultTest, MediaPulledWithRequestsInFlightCompletesThemWithNoMedia) {
  build("media { removable: true }");
  Io& a = h_.submit(*driver_, IODirection::kIn, 0, 4096);
  Io& b = h_.submit(*driver_, IODirection::kOut, 8192, 4096);
  h_.engine.at(250'000, [this] { device_->set_media_present(false); });
  h_.engine.run();
  for (Io* io : {&a, &b}) {
    EXPECT_EQ(io->result.status, kIOReturnNoMedia);
    EXPECT_EQ(io->result.completed_at, 250'000);
    const auto device = records(Layer::kDevice, io->buffer.request_id);
    ASSERT_EQ(device.size(), 1u);
    EXPECT_EQ(device[0].status, kIOReturnNoMedia);
  }
  EXPECT_EQ(h_.read(*driver_, 0, 4096).result.status, kIOReturnNoMedia);
  IOMemoryDescriptor direct{IODirection::kIn, 4096, nullptr, 99};
  EXPECT_EQ(device_->doAsyncReadWrite(&direct, 0, 8, nullptr, nullptr), kIOReturnNoMedia);
}

TEST_F(FaultTest, AFaultAfterNRequestsStartsWithTheNextOne) {
  build();
  injector_->after_requests(2, [this] { injector_->add_unreadable(0, 2048, 0); });
  EXPECT_EQ(h_.read(*driver_, 0, 4096).result.status, kIOReturnSuccess);
  EXPECT_EQ(h_.read(*driver_, 0, 4096).result.status, kIOReturnSuccess);
  EXPECT_EQ(h_.read(*driver_, 0, 4096).result.status, kIOReturnIOError);
  EXPECT_EQ(injector_->requests_seen(), 3u);
}

}  // namespace
}  // namespace blocksim
