// Test support: an SSD built from a Device message (text format) on an engine of its own, behind a
// private full-duplex link, driven through the device interface by closed loops the test starts
// and runs to the end, phase after phase. Between phases a test can read the FTL's counters,
// unmap, or read blocks into a buffer. One rig per test process (one SimGrid engine).
#pragma once

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/ssd/ssd_device.hpp"
#include "sim/core/random.hpp"
#include "sim/core/units.hpp"
#include "tests/support/recording_sink.hpp"

namespace blocksim::testing {

inline void check_device(const proto::Device& device) {
  const ssd::SsdConfigProblem problem = ssd::check_ssd_config(device);
  if (!problem.field.empty())
    throw std::invalid_argument("ssd config: " + problem.message);
}

inline proto::Device parse_device(const std::string& text) {
  proto::Device device;
  if (!google::protobuf::TextFormat::ParseFromString(text, &device))
    throw std::invalid_argument("bad Device text");
  check_device(device);
  return device;
}

class SsdRig {
 public:
  explicit SsdRig(const std::string& device_text, const std::string& link = "8GB/s")
      : SsdRig(parse_device(device_text), link) {}
  SsdRig(const proto::Device& device, const std::string& link) : config_(device) {
    const BusHandle bus = engine_.add_bus("link", units::bandwidth(link), 0, true);
    DeviceContext context;
    context.engine = &engine_;
    context.dma = engine_.add_endpoint("ssd", bus);
    context.name = "ssd";
    context.sink = &sink_;
    context.seed = 1;
    device_ = std::make_unique<SsdDeviceModel>(context, config_, ssd::resolve_ssd_config(config_));
    device_->reportBlockSize(&block_size_);
  }

  SsdDeviceModel& device() { return *device_; }
  Engine& engine() { return engine_; }
  std::vector<CompletionRecord>& records() { return sink_.records; }
  std::uint64_t block_size() const { return block_size_; }

  // `count` requests of `bytes` each, at offsets drawn uniformly (aligned to `bytes`) from
  // [first_byte, first_byte + span_bytes), `depth` outstanding; returns when all are done.
  void random_io(bool write, std::uint64_t first_byte, std::uint64_t span_bytes, std::uint64_t bytes,
                 std::uint64_t count, std::uint32_t depth, std::uint64_t stream) {
    Loop loop{this, write, first_byte, span_bytes / bytes, bytes, count, 0, 0, Rng(7, stream), {}};
    run_loop(loop, depth);
  }

  // `count` requests of `bytes` each, one after another from `first_byte` (wrapping at
  // `span_bytes` if given), `depth` outstanding; returns when all are done.
  void sequential_io(bool write, std::uint64_t first_byte, std::uint64_t bytes, std::uint64_t count,
                     std::uint32_t depth, std::uint64_t span_bytes = 0) {
    Loop loop{this, write, first_byte, 0, bytes, count, 0, 0, Rng(7, 0), {}};
    loop.sequential = true;
    loop.sequential_span = span_bytes;
    run_loop(loop, depth);
  }

  // A flush (doSynchronize of the whole device), run until it completes.
  void synchronize() {
    bool done = false;
    IOStorageCompletion completion{&done, [](void* flag, void*, IOReturn status, std::uint64_t) {
                                     EXPECT_EQ(status, kIOReturnSuccess);
                                     *static_cast<bool*>(flag) = true;
                                   },
                                   nullptr};
    ASSERT_EQ(device_->doSynchronize(0, 0, kIOStorageSynchronizeOptionNone, &completion), kIOReturnSuccess);
    engine_.run();
    ASSERT_TRUE(done);
  }

  // Unmaps [first_block, first_block + blocks) and runs until it completes.
  void unmap(std::uint64_t first_block, std::uint64_t blocks) {
    IOBlockStorageDeviceExtent extent{first_block, blocks};
    bool done = false;
    IOStorageCompletion completion{&done, [](void* flag, void*, IOReturn status, std::uint64_t) {
                                     EXPECT_EQ(status, kIOReturnSuccess);
                                     *static_cast<bool*>(flag) = true;
                                   },
                                   nullptr};
    ASSERT_EQ(device_->doUnmap(&extent, 1, 0, &completion), kIOReturnSuccess);
    EXPECT_FALSE(done) << "completion ran inside doUnmap";
    engine_.run();
    ASSERT_TRUE(done);
  }

  // Reads or writes blocks with a data buffer and runs until done.
  void transfer(bool write, std::uint64_t block, std::uint64_t blocks, std::uint8_t* bytes,
                IOStorageOptions options = kIOStorageOptionNone) {
    IOMemoryDescriptor buffer{write ? IODirection::kOut : IODirection::kIn, blocks * block_size_, bytes, 1};
    IOStorageAttributes attributes;
    attributes.options = options;
    bool done = false;
    IOStorageCompletion completion{&done, [](void* flag, void*, IOReturn status, std::uint64_t) {
                                     EXPECT_EQ(status, kIOReturnSuccess);
                                     *static_cast<bool*>(flag) = true;
                                   },
                                   nullptr};
    ASSERT_EQ(device_->doAsyncReadWrite(&buffer, block, blocks, &attributes, &completion), kIOReturnSuccess);
    EXPECT_FALSE(done) << "completion ran inside doAsyncReadWrite";
    engine_.run();
    ASSERT_TRUE(done);
  }

 private:
  struct Loop;
  struct Slot {
    Loop* loop = nullptr;
    IOMemoryDescriptor buffer;
    IOStorageAttributes attributes;
    IOStorageCompletion completion;
  };
  struct Loop {
    SsdRig* rig;
    bool write;
    std::uint64_t first_byte, choices, bytes, count, issued, completed;
    Rng rng;
    std::vector<Slot> slots;
    bool sequential = false;
    std::uint64_t sequential_span = 0;  // sequential_io: wrap here (0: never)
  };

  // Keeps `depth` of the loop's requests outstanding until all are done.
  void run_loop(Loop& loop, std::uint32_t depth) {
    loop.slots.resize(depth);
    for (auto& slot : loop.slots)
      slot.loop = &loop;
    for (auto& slot : loop.slots)
      issue(loop, slot);
    engine_.run();
    ASSERT_EQ(loop.completed, loop.count) << "the device did not complete every request";
  }

  void issue(Loop& loop, Slot& slot) {
    if (loop.issued == loop.count)
      return;
    ++loop.issued;
    std::uint64_t offset;
    if (loop.sequential) {
      const std::uint64_t step = (loop.issued - 1) * loop.bytes;
      offset = loop.first_byte + (loop.sequential_span ? step % loop.sequential_span : step);
    } else {
      offset = loop.first_byte + loop.rng.below(loop.choices) * loop.bytes;
    }
    slot.buffer = IOMemoryDescriptor{loop.write ? IODirection::kOut : IODirection::kIn, loop.bytes, nullptr,
                                     loop.issued};
    slot.completion = IOStorageCompletion{&slot, &SsdRig::on_complete, nullptr};
    const IOReturn status = device_->doAsyncReadWrite(&slot.buffer, offset / block_size_, loop.bytes / block_size_,
                                                      &slot.attributes, &slot.completion);
    ASSERT_EQ(status, kIOReturnSuccess);
  }

  static void on_complete(void* target, void*, IOReturn status, std::uint64_t) {
    auto& slot = *static_cast<Slot*>(target);
    EXPECT_EQ(status, kIOReturnSuccess);
    ++slot.loop->completed;
    slot.loop->rig->issue(*slot.loop, slot);
  }

  proto::Device config_;
  Engine engine_;
  RecordingSink sink_;
  std::unique_ptr<SsdDeviceModel> device_;
  std::uint64_t block_size_ = 0;
};

}  // namespace blocksim::testing
