// IOBlockStorageDriver's request pipeline after prepare: deblockRequest, breakUpRequest and
// executeRequest (driver-api.md §4.2, steps 2-4).
#include <algorithm>
#include <cstring>

#include "sim/driver/block_storage_driver.hpp"

namespace blocksim {

void IOBlockStorageDriver::deblock(std::uint32_t slot) {
  DriverRequest& r = requests_[slot];
  r.plan = DeblockPlan::make(r.byte_start, r.buffer->length, block_size_);
  if (r.plan.aligned) {
    r.stage = DriverStage::kDirect;
    start_transfer(slot, r.byte_start, r.buffer);
    return;
  }
  ++widened_requests_;
  if (r.buffer->bytes)
    r.scratch.resize(r.plan.length);
  if (r.op == Op::kRead) {
    begin_stage(slot, DriverStage::kDeblockRead);
    return;
  }
  // One read-modify-write at a time per driver; aligned writes are not held back by it.
  if (rmw_busy_) {
    rmw_waiting_.push_back(slot);
    return;
  }
  rmw_busy_ = true;
  r.holds_rmw_lock = true;
  next_write_stage(slot);
}

void IOBlockStorageDriver::next_write_stage(std::uint32_t slot) {
  DriverRequest& r = requests_[slot];
  switch (r.stage) {
    case DriverStage::kDirect:  // the first stage
      if (r.plan.read_head)
        return begin_stage(slot, DriverStage::kHeadRead);
      [[fallthrough]];
    case DriverStage::kHeadRead:
      if (r.plan.read_tail)
        return begin_stage(slot, DriverStage::kTailRead);
      [[fallthrough]];
    default: return begin_stage(slot, DriverStage::kWriteBack);
  }
}

// Sets up a deblock stage's buffer (a piece of the scratch range) and sends it to break-up.
void IOBlockStorageDriver::begin_stage(std::uint32_t slot, DriverStage stage) {
  DriverRequest& r = requests_[slot];
  r.stage = stage;
  std::uint8_t* scratch = r.scratch.empty() ? nullptr : r.scratch.data();
  std::uint64_t start = r.plan.start;
  IOMemoryDescriptor& b = r.stage_buffer;
  b = IOMemoryDescriptor{};
  b.request_id = context_.ids->next();
  b.parent_id = r.buffer->request_id;
  b.direction = IODirection::kIn;
  b.bytes = scratch;
  switch (stage) {
    case DriverStage::kDeblockRead: b.length = r.plan.length; break;
    case DriverStage::kHeadRead: b.length = block_size_; break;
    case DriverStage::kTailRead:
      b.length = block_size_;
      start = r.plan.start + r.plan.length - block_size_;
      if (scratch)
        b.bytes = scratch + r.plan.length - block_size_;
      break;
    default:  // kWriteBack: the caller's bytes over the blocks read
      b.direction = IODirection::kOut;
      b.length = r.plan.length;
      if (scratch && r.buffer->bytes)
        std::memcpy(scratch + r.plan.head_excess, r.buffer->bytes, r.buffer->length);
      break;
  }
  start_transfer(slot, start, &b);
}

void IOBlockStorageDriver::start_transfer(std::uint32_t slot, std::uint64_t byteStart, IOMemoryDescriptor* transfer) {
  DriverRequest& r = requests_[slot];
  r.transfer_start = byteStart;
  r.transfer = transfer;
  r.transfer_done = 0;
  r.break_size = break_size(*transfer, limits_[transfer->direction == IODirection::kOut], block_size_);
  if (r.break_size == 0) {
    on_transfer_done(slot, kIOReturnDMAError, 0);
    return;
  }
  if (r.break_size >= transfer->length) {
    r.piece_length = transfer->length;
    execute(slot, byteStart, transfer);
    return;
  }
  issue_piece(slot);
}

// The breaker: pieces of break_size bytes, each issued from the previous one's completion.
void IOBlockStorageDriver::issue_piece(std::uint32_t slot) {
  DriverRequest& r = requests_[slot];
  r.piece_length = std::min(r.break_size, r.transfer->length - r.transfer_done);
  r.piece = r.transfer->sub_range(r.transfer_done, r.piece_length);
  r.piece.request_id = context_.ids->next();
  r.piece.parent_id = r.buffer->request_id;
  execute(slot, r.transfer_start + r.transfer_done, &r.piece);
}

void IOBlockStorageDriver::set_queue_policy(const DriverQueuePolicy& policy) {
  queue_depth_ = policy.depth;
  waiting_ = DriverQueue(policy.scheduler);
}

void IOBlockStorageDriver::execute(std::uint32_t slot, std::uint64_t byteStart, IOMemoryDescriptor* buffer) {
  DriverRequest& r = requests_[slot];
  if (media_ == nullptr) {
    on_piece_done(slot, kIOReturnNoMedia, 0);
    return;
  }
  r.exec_start = byteStart;
  r.exec_buffer = buffer;
  if (queue_depth_ > 0) {  // through the queue even when there is room: it moves the sweep
    waiting_.push(slot, byteStart / block_size_, buffer->length / block_size_);
    send_waiting();
    return;
  }
  send(slot);
}

void IOBlockStorageDriver::send(std::uint32_t slot) {
  DriverRequest& r = requests_[slot];
  if (media_ == nullptr) {  // it went while the call waited in the driver's queue
    on_piece_done(slot, kIOReturnNoMedia, 0);
    return;
  }
  if (!r.dispatched) {
    r.dispatched = true;
    r.dispatch = context_.engine->now();
  }
  r.attributes.adjustedOffset = static_cast<std::int64_t>(r.exec_start - r.byte_start);
  IOStorageCompletion done{this, &IOBlockStorageDriver::piece_done, &r};
  watch(slot);
  ++calls_at_device_;
  const IOReturn status = calls_.doAsyncReadWrite(r.exec_buffer, r.exec_start / block_size_,
                                                  r.exec_buffer->length / block_size_, &r.attributes, &done);
  if (status != kIOReturnSuccess) {
    --calls_at_device_;
    unwatch(slot);
    on_piece_done(slot, status, 0);  // not started: the driver completes it with the device's code
  }
}

// A call left the device: the calls waiting in the driver's queue go on while there is room.
void IOBlockStorageDriver::send_waiting() {
  while (!waiting_.empty() && calls_at_device_ < queue_depth_)
    send(waiting_.pop());
}

// A device call that timed out or failed: true if it was sent again.
bool IOBlockStorageDriver::retry_piece(std::uint32_t slot, IOReturn status) {
  DriverRequest& r = requests_[slot];
  const bool device_error =
      status == kIOReturnIOError || status == kIOReturnNotResponding || status == kIOReturnDeviceError;
  if (!(status == kIOReturnTimeout || (policy_.retry_errors && device_error)) || r.attempts >= policy_.retries)
    return false;
  ++r.attempts;
  ++statistics_[r.exec_buffer->direction == IODirection::kOut ? kStatisticsWriteRetries : kStatisticsReadRetries];
  r.retry_buffer = *r.exec_buffer;
  r.retry_buffer.request_id = context_.ids->next();
  r.retry_buffer.parent_id = r.buffer->request_id;
  execute(slot, r.exec_start, &r.retry_buffer);
  return true;
}

void IOBlockStorageDriver::piece_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes) {
  auto* driver = static_cast<IOBlockStorageDriver*>(target);
  --driver->calls_at_device_;
  driver->on_piece_done(static_cast<DriverRequest*>(parameter)->slot, status, bytes);
  driver->send_waiting();
}

void IOBlockStorageDriver::on_piece_done(std::uint32_t slot, IOReturn status, std::uint64_t bytes) {
  DriverRequest& r = requests_[slot];
  unwatch(slot);
  if (r.timed_out) {  // the abort's completion: the call timed out
    r.timed_out = false;
    status = kIOReturnTimeout;
    bytes = 0;
  }
  if (status != kIOReturnSuccess && retry_piece(slot, status))
    return;
  r.attempts = 0;
  r.transfer_done += bytes;
  // An error or a short piece ends the chain: bytes done so far plus the failing piece's.
  if (status != kIOReturnSuccess || bytes < r.piece_length || r.transfer_done >= r.transfer->length) {
    on_transfer_done(slot, status, r.transfer_done);
    return;
  }
  issue_piece(slot);
}

void IOBlockStorageDriver::on_transfer_done(std::uint32_t slot, IOReturn status, std::uint64_t bytes) {
  DriverRequest& r = requests_[slot];
  // What the data stage reports: its bytes less the head excess, within 0 .. the caller's length.
  auto data_stage_bytes = [&r](std::uint64_t done) {
    return std::min(done > r.plan.head_excess ? done - r.plan.head_excess : 0, r.buffer->length);
  };
  switch (r.stage) {
    case DriverStage::kDirect: finish(slot, status, bytes); return;
    case DriverStage::kDeblockRead:
      if (!r.scratch.empty() && r.buffer->bytes)
        std::memcpy(r.buffer->bytes, r.scratch.data() + r.plan.head_excess, r.buffer->length);
      finish(slot, status, data_stage_bytes(bytes));
      return;
    case DriverStage::kHeadRead:
    case DriverStage::kTailRead:
      if (status != kIOReturnSuccess || bytes < block_size_) {
        finish(slot, status, 0);  // a preparatory read failed: nothing of the write was done
        return;
      }
      next_write_stage(slot);
      return;
    default: finish(slot, status, data_stage_bytes(bytes)); return;
  }
}

void IOBlockStorageDriver::release_rmw_lock(DriverRequest& r) {
  if (!r.holds_rmw_lock)
    return;
  r.holds_rmw_lock = false;
  rmw_busy_ = false;
  if (rmw_waiting_.empty())
    return;
  const std::uint32_t next = rmw_waiting_.front();
  rmw_waiting_.pop_front();
  rmw_busy_ = true;
  requests_[next].holds_rmw_lock = true;
  // Started from a timer: the request releasing the lock is still completing.
  context_.engine->at(context_.engine->now(), [this, next] { next_write_stage(next); });
}

}  // namespace blocksim
