// The device-interface contract on the reference device: an error return never calls the
// completion, a started request completes exactly once and never inside the call, and the
// controller queue admits at most queue_depth commands.
#include <gtest/gtest.h>

#include <map>

#include "models/device_registry.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/support/recording_sink.hpp"

namespace blocksim {
namespace {

struct CompletionCounter {
  std::map<std::uintptr_t, int> calls;
  std::map<std::uintptr_t, IOReturn> status;
  bool inside_call = false;
  bool called_inside = false;
  static void action(void* target, void* parameter, IOReturn s, std::uint64_t) {
    auto* self = static_cast<CompletionCounter*>(target);
    const auto key = reinterpret_cast<std::uintptr_t>(parameter);
    ++self->calls[key];
    self->status[key] = s;
    if (self->inside_call)
      self->called_inside = true;
  }
};

class ReferenceDeviceContract : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto loaded = testing::scenario_from_text(R"(
      bus { name: "bus" bandwidth: "1GB/s" }
      device { capacity: "1MiB" block_size: "4KiB" reference { queue_depth: 2 service { fixed: "0ns" } } }
      workload { job { requests: 1 } })");
    engine_ = std::make_unique<Engine>();
    DeviceContext context;
    context.engine = engine_.get();
    context.dma = engine_->add_endpoint("dev", engine_->add_bus("bus", 1e9, 0, false));
    context.sink = &sink_;
    device_ = make_device(context, loaded.scenario.device(0));
  }

  IOReturn submit(IODirection direction, std::uint64_t block, std::uint64_t nblks, std::uintptr_t key,
                  std::uint64_t length = 0) {
    auto buffer = std::make_unique<IOMemoryDescriptor>();
    buffer->direction = direction;
    buffer->length = length ? length : nblks * 4096;
    buffer->request_id = key;
    IOStorageCompletion completion{&counter_, &CompletionCounter::action, reinterpret_cast<void*>(key)};
    counter_.inside_call = true;
    const IOReturn status = device_->doAsyncReadWrite(buffer.get(), block, nblks, nullptr, &completion);
    counter_.inside_call = false;
    buffers_.push_back(std::move(buffer));
    return status;
  }

  std::unique_ptr<Engine> engine_;
  testing::RecordingSink sink_;
  std::unique_ptr<IOBlockStorageDevice> device_;
  CompletionCounter counter_;
  std::vector<std::unique_ptr<IOMemoryDescriptor>> buffers_;
};

TEST_F(ReferenceDeviceContract, ReportsGeometry) {
  std::uint64_t block_size = 0, max_block = 0;
  EXPECT_EQ(device_->reportBlockSize(&block_size), kIOReturnSuccess);
  EXPECT_EQ(device_->reportMaxValidBlock(&max_block), kIOReturnSuccess);
  EXPECT_EQ(block_size, 4096u);
  EXPECT_EQ(max_block, 255u);  // 1 MiB / 4 KiB - 1: the highest LBA
  EXPECT_EQ(device_->requestIdle(), kIOReturnUnsupported);
  EXPECT_EQ(device_->doFormatMedia(1 << 20, nullptr), kIOReturnUnsupported);
}

TEST_F(ReferenceDeviceContract, ErrorsReturnWithoutCompletion) {
  EXPECT_EQ(submit(IODirection::kIn, 256, 1, 1), kIOReturnBadArgument);      // past the end
  EXPECT_EQ(submit(IODirection::kIn, 255, 2, 2), kIOReturnBadArgument);      // runs past the end
  EXPECT_EQ(submit(IODirection::kIn, 0, 0, 3), kIOReturnBadArgument);        // no blocks
  EXPECT_EQ(submit(IODirection::kOut, 0, 1, 4, 512), kIOReturnBadArgument);  // buffer shorter than the range
  engine_->run();
  EXPECT_TRUE(counter_.calls.empty());
  EXPECT_TRUE(sink_.records.empty());
}

TEST_F(ReferenceDeviceContract, EveryStartedRequestCompletesOnceAfterTheCall) {
  for (std::uintptr_t key = 1; key <= 10; ++key)
    ASSERT_EQ(submit(key % 2 ? IODirection::kIn : IODirection::kOut, key, 1, key), kIOReturnSuccess);
  EXPECT_TRUE(counter_.calls.empty());
  engine_->run();
  EXPECT_FALSE(counter_.called_inside);
  ASSERT_EQ(counter_.calls.size(), 10u);
  for (const auto& [key, calls] : counter_.calls) {
    EXPECT_EQ(calls, 1) << key;
    EXPECT_EQ(counter_.status[key], kIOReturnSuccess);
  }
  // Queue depth 2: the third and later requests waited for a tag, so they were dispatched later
  // than submitted; none saw more than the nine before it.
  ASSERT_EQ(sink_.records.size(), 10u);
  int waited = 0;
  for (const auto& r : sink_.records) {
    EXPECT_LE(r.submit, r.dispatch);
    EXPECT_LE(r.dispatch, r.complete);
    waited += r.dispatch > r.submit;
  }
  EXPECT_EQ(waited, 8);
}

}  // namespace
}  // namespace blocksim
