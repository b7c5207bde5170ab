// The real traces in ../shared/data/traces replay on the SSD model without error: every request
// completes, successfully. The device is the 970 EVO Plus profile with 512-byte blocks (the
// traces' sector size, so partly written 4 KiB units take the read-modify-write path),
// preconditioned full so that reads reach the flash. Requests arrive at their recorded times
// (open loop); every trace device number goes to the one SSD.
// The reader here is test-only and minimal: the MQSim/UMass ASCII format
// (time_ns dev lba size op, op 1 = read) and DiskSim's ascii format (time_ms devno blkno bcount
// flags, bit 0 = read), both in 512-byte sectors. The project's trace replay (sim/replay) did
// not read these formats yet when this test was written.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/models/ssd/ssd_rig.hpp"

namespace blocksim {
namespace {

struct TraceLine {
  SimTime time;
  std::uint64_t sector;
  std::uint64_t sectors;
  bool read;
};

enum class Format { kMqsim, kDisksimAscii };

std::vector<TraceLine> read_trace(const std::string& name, Format format) {
  std::ifstream in(std::string(BLOCKSIM_SOURCE_DIR) + "/../shared/data/traces/" + name);
  std::vector<TraceLine> lines;
  std::string text;
  while (std::getline(in, text)) {
    std::istringstream fields(text);
    double time = 0;
    std::uint64_t device = 0, sector = 0, sectors = 0;
    std::string op;
    if (!(fields >> time >> device >> sector >> sectors >> op))
      continue;
    const bool read = format == Format::kMqsim ? op == "1" : (std::stoul(op, nullptr, 16) & 1) != 0;
    const double ns = format == Format::kMqsim ? time : time * 1e6;
    lines.push_back({static_cast<SimTime>(ns), sector, sectors, read});
  }
  std::stable_sort(lines.begin(), lines.end(), [](const TraceLine& a, const TraceLine& b) { return a.time < b.time; });
  return lines;
}

class Replay {
 public:
  Replay(testing::SsdRig& rig, std::vector<TraceLine> lines) : rig_(rig), lines_(std::move(lines)) {}

  void run() {
    start_ = lines_.empty() ? 0 : lines_.front().time;
    schedule_next();
    rig_.engine().run();
  }
  std::uint64_t completed() const { return completed_; }
  std::uint64_t failed() const { return failed_; }

 private:
  struct Slot {
    Replay* replay;
    std::uint32_t index;
    IOMemoryDescriptor buffer;
    IOStorageAttributes attributes;
    IOStorageCompletion completion;
  };

  void schedule_next() {
    if (next_ == lines_.size())
      return;
    rig_.engine().at(lines_[next_].time - start_, [this] {
      issue(lines_[next_++]);
      schedule_next();
    });
  }

  void issue(const TraceLine& line) {
    std::uint32_t index;
    if (free_.empty()) {
      index = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back(std::make_unique<Slot>());
    } else {
      index = free_.back();
      free_.pop_back();
    }
    Slot& slot = *slots_[index];
    slot.replay = this;
    slot.index = index;
    slot.buffer = IOMemoryDescriptor{line.read ? IODirection::kIn : IODirection::kOut, line.sectors * 512, nullptr,
                                     ++issued_};
    slot.completion = IOStorageCompletion{&slot, &Replay::on_complete, nullptr};
    const IOReturn status =
        rig_.device().doAsyncReadWrite(&slot.buffer, line.sector, line.sectors, &slot.attributes, &slot.completion);
    if (status != kIOReturnSuccess) {
      ++failed_;
      free_.push_back(index);
    }
  }

  static void on_complete(void* target, void*, IOReturn status, std::uint64_t) {
    auto& slot = *static_cast<Slot*>(target);
    Replay& replay = *slot.replay;
    ++replay.completed_;
    replay.failed_ += status != kIOReturnSuccess;
    replay.free_.push_back(slot.index);
  }

  testing::SsdRig& rig_;
  std::vector<TraceLine> lines_;
  std::size_t next_ = 0;
  SimTime start_ = 0;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::uint32_t> free_;
  std::uint64_t issued_ = 0, completed_ = 0, failed_ = 0;
};

void replay(const std::string& name, Format format, std::size_t expected_lines) {
  proto::Device device = testing::read_profile("scenarios/profiles/samsung-970-evo-plus-1tb.textproto");
  device.set_block_size("512");
  device.mutable_ssd()->mutable_precondition()->set_fill(1);
  testing::SsdRig rig(device, device.interface_rate());
  std::vector<TraceLine> lines = read_trace(name, format);
  ASSERT_EQ(lines.size(), expected_lines) << name;
  Replay run(rig, std::move(lines));
  run.run();
  std::vector<DeviceMetric> metrics;
  rig.device().collect_metrics(&metrics);
  double rmw = 0;
  for (const auto& m : metrics)
    if (m.name == "ssd.read_modify_writes")
      rmw = m.value;
  std::printf("%s: %llu requests completed, %llu failed, simulated %.3f s, %.0f read-modify-writes\n", name.c_str(),
              static_cast<unsigned long long>(run.completed()), static_cast<unsigned long long>(run.failed()),
              static_cast<double>(rig.engine().now()) * 1e-9, rmw);
  EXPECT_EQ(run.completed(), expected_lines);
  EXPECT_EQ(run.failed(), 0u);
}

TEST(SsdTraceReplay, MqsimTpcc) { replay("mqsim-tpcc-small.trace", Format::kMqsim, 6999); }
TEST(SsdTraceReplay, MqsimWebSearch) { replay("mqsim-wsrch-small.trace", Format::kMqsim, 24783); }
TEST(SsdTraceReplay, UmassFinancial) { replay("umass-financial1-first10k.ascii", Format::kMqsim, 10000); }
TEST(SsdTraceReplay, DisksimAscii) { replay("disksim-ascii-100k.trace", Format::kDisksimAscii, 100000); }

}  // namespace
}  // namespace blocksim
