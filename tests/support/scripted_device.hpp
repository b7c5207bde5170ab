// Test support: a device whose answers a test scripts, and which writes down every call it gets,
// so that a test can make a device misbehave the way real ones do (a short transfer, an error
// return, a failed flush) and see what the driver above makes of it.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "sim/device/block_storage_device.hpp"
#include "sim/core/engine.hpp"

namespace blocksim::testing {

class ScriptedDevice final : public IOBlockStorageDevice {
 public:
  // What the next read or write does: return `returned` (not started), or complete after
  // `delay` with `status` and `bytes` (bytes < 0: the whole buffer).
  struct Answer {
    IOReturn returned = kIOReturnSuccess;
    IOReturn status = kIOReturnSuccess;
    std::int64_t bytes = -1;
    SimTime delay = 1000;
    int completions = 1;  // how often the completion runs: 0 drops the request, 2 completes it twice
  };
  struct Call {
    std::string what;  // "read", "write", "flush", "unmap", "eject", "format"
    std::uint64_t block = 0;
    std::uint64_t nblks = 0;
    std::uint64_t bytes = 0;
    IOStorageOptions options = 0;
    std::uint32_t sync_options = 0;
    std::uint64_t request_id = 0;
    std::uint64_t parent_id = 0;
    std::int64_t adjusted_offset = 0;
    SimTime at = 0;
  };

  ScriptedDevice(Engine& engine, std::uint64_t block_size, std::uint64_t blocks)
      : engine_(engine), block_size_(block_size), blocks_(blocks) {}

  std::deque<Answer> answers;  // consumed by reads and writes; empty: success after 1 us
  IOReturn flush_status = kIOReturnSuccess;
  IOReturn eject_status = kIOReturnSuccess;
  IOReturn format_status = kIOReturnUnsupported;
  bool present = true;
  bool removable = false;
  bool ejectable = false;
  bool write_protected = false;
  DeviceCharacteristics limits;
  std::vector<Call> calls;
  int in_flight = 0;
  int max_in_flight = 0;

  IOReturn doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                            IOStorageAttributes* attributes, IOStorageCompletion* completion) override {
    Call call{buffer->direction == IODirection::kIn ? "read" : "write", block, nblks, buffer->length,
              attributes ? attributes->options : IOStorageOptions{0}, 0, buffer->request_id, buffer->parent_id,
              attributes ? attributes->adjustedOffset : 0, engine_.now()};
    calls.push_back(call);
    Answer answer;
    if (!answers.empty()) {
      answer = answers.front();
      answers.pop_front();
    }
    if (answer.returned != kIOReturnSuccess)
      return answer.returned;
    const std::uint64_t bytes = answer.bytes < 0 ? buffer->length : static_cast<std::uint64_t>(answer.bytes);
    const IOStorageCompletion done = *completion;
    max_in_flight = std::max(max_in_flight, ++in_flight);
    engine_.after(answer.delay, [this, done, answer, bytes] {
      --in_flight;
      for (int i = 0; i < answer.completions; ++i)
        complete(done, answer.status, bytes);
    });
    return kIOReturnSuccess;
  }

  IOReturn doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                         IOStorageCompletion* completion) override {
    Call call{"flush", block, nblks, 0, 0, options, 0, 0, 0, engine_.now()};
    calls.push_back(call);
    return later(completion, flush_status);
  }
  IOReturn doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t count, IOStorageUnmapOptions,
                   IOStorageCompletion* completion) override {
    for (std::uint32_t i = 0; i < count; ++i)
      calls.push_back(Call{"unmap", extents[i].blockStart, extents[i].blockCount, 0, 0, 0, 0, 0, 0, engine_.now()});
    return later(completion, kIOReturnSuccess);
  }
  IOReturn doEjectMedia(IOStorageCompletion* completion) override {
    calls.push_back(Call{"eject", 0, 0, 0, 0, 0, 0, 0, 0, engine_.now()});
    if (eject_status == kIOReturnSuccess && removable)
      present = false;
    return later(completion, eject_status);
  }
  IOReturn doFormatMedia(std::uint64_t capacity, IOStorageCompletion* completion) override {
    calls.push_back(Call{"format", 0, 0, capacity, 0, 0, 0, 0, 0, engine_.now()});
    if (format_status != kIOReturnSuccess)
      return format_status;
    return later(completion, kIOReturnSuccess);
  }
  std::string getProductString() const override { return "scripted"; }
  IOReturn reportBlockSize(std::uint64_t* blockSize) const override {
    *blockSize = block_size_;
    return kIOReturnSuccess;
  }
  IOReturn reportMaxValidBlock(std::uint64_t* maxBlock) const override {
    *maxBlock = blocks_ - 1;
    return kIOReturnSuccess;
  }
  IOReturn reportMediaState(bool* mediaPresent, bool* changedState) override {
    *mediaPresent = present;
    if (changedState)
      *changedState = false;
    return kIOReturnSuccess;
  }
  IOReturn reportRemovability(bool* isRemovable) override {
    *isRemovable = removable;
    return kIOReturnSuccess;
  }
  IOReturn reportEjectability(bool* isEjectable) override {
    *isEjectable = ejectable;
    return kIOReturnSuccess;
  }
  IOReturn reportWriteProtection(bool* isWriteProtected) override {
    *isWriteProtected = write_protected;
    return kIOReturnSuccess;
  }
  DeviceCharacteristics characteristics() const override { return limits; }

  // The media changes as a scenario event would make it: the device tells its driver.
  IOReturn set_media_present(bool now_present) override {
    present = now_present;
    return messageClients(kIOMessageMediaStateHasChanged, now_present ? kIOMediaStateOnline : kIOMediaStateOffline);
  }
  IOReturn set_write_protection(bool on) override {
    write_protected = on;
    return messageClients(kIOMessageMediaParametersHaveChanged);
  }

  std::vector<Call> calls_of(const std::string& what) const {
    std::vector<Call> out;
    for (const Call& c : calls)
      if (c.what == what)
        out.push_back(c);
    return out;
  }

 private:
  IOReturn later(IOStorageCompletion* completion, IOReturn status) {
    const IOStorageCompletion done = completion ? *completion : IOStorageCompletion{};
    engine_.after(1000, [done, status] { complete(done, status, 0); });
    return kIOReturnSuccess;
  }

  Engine& engine_;
  std::uint64_t block_size_;
  std::uint64_t blocks_;
};

}  // namespace blocksim::testing
