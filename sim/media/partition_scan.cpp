#include "sim/media/partition_scan.hpp"

namespace blocksim {

void PartitionScan::start(Done done) {
  done_ = std::move(done);
  const std::uint64_t bs = block_size();
  // The media must be formatted and its block a multiple of the 512-byte sector (§3.3, §3.4).
  if (!media_.isFormatted() || bs % 512 != 0 || !media_.open(this, kIOStorageAccessReader)) {
    end(false, {});
    return;
  }
  open_ = true;
  scan();
}

void PartitionScan::read(std::uint64_t offset, std::uint64_t length, std::function<void()> then) {
  bytes_.assign(length, 0);
  then_ = std::move(then);
  descriptor_ = IOMemoryDescriptor{};
  descriptor_.direction = IODirection::kIn;
  descriptor_.length = length;
  descriptor_.bytes = bytes_.data();
  descriptor_.request_id = context_.ids ? context_.ids->next() : 0;
  IOStorageCompletion completion{this, &PartitionScan::read_done, nullptr};
  media_.read(offset, &descriptor_, nullptr, &completion);
}

void PartitionScan::read_done(void* target, void*, IOReturn status, std::uint64_t bytes) {
  auto* self = static_cast<PartitionScan*>(target);
  if (status != kIOReturnSuccess || bytes < self->descriptor_.length) {
    self->fail();
    return;
  }
  auto then = std::move(self->then_);
  then();
}

void PartitionScan::succeed(const std::vector<PartitionInfo>& partitions) { end(true, partitions); }
void PartitionScan::fail() { end(false, {}); }

void PartitionScan::end(bool found, const std::vector<PartitionInfo>& partitions) {
  if (open_) {
    open_ = false;
    media_.close(this);
  }
  bytes_.clear();
  if (done_) {
    auto done = std::move(done_);
    done_ = nullptr;
    done(found, partitions);
  }
}

}  // namespace blocksim
