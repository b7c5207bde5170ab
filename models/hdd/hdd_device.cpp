#include "models/hdd/hdd_device.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/core/units.hpp"

namespace blocksim {

HddModel::HddModel(const DeviceContext& context, const proto::Device& config)
    : DeviceBase(context, config, "hdd"),
      settings_(hdd::read_settings(config.hdd())),
      layout_(std::make_unique<hdd::Layout>(config.hdd().layout())),
      mechanics_(std::make_unique<hdd::Mechanics>(config.hdd().mechanics(), *layout_)),
      cache_(std::make_unique<hdd::SegmentCache>(settings_.cache)),
      scheduler_(std::make_unique<hdd::Scheduler>(settings_.scheduler, settings_.starvation_limit, *mechanics_)),
      tags_(settings_.queue_depth) {
  if (block_count() > layout_->block_count())
    throw std::invalid_argument("device \"" + context.name + "\": capacity " + std::to_string(block_count()) +
                                " blocks exceeds the layout's " + std::to_string(layout_->block_count()));
  const double nominal = config.has_interface_rate() ? units::bandwidth(config.interface_rate()) : 0;
  port_ = std::make_unique<hdd::HostPort>(engine(), context.dma, block_size(), settings_.interface.read_rate,
                                          settings_.interface.write_rate, nominal);
  arm_ = std::make_unique<hdd::DiskArm>(engine(), *mechanics_, static_cast<hdd::ArmClient&>(*this));
  write_cache_enabled_ = settings_.cache.write_policy != hdd::WritePolicy::kWriteThrough;
  if (config.write_cache().has_enabled()) {  // the scenario's state at the start
    write_cache_enabled_ = config.write_cache().enabled();
    if (write_cache_enabled_ && settings_.cache.write_policy == hdd::WritePolicy::kWriteThrough)
      settings_.cache.write_policy = hdd::WritePolicy::kWriteBack;
  }
  destage_queued_.assign(static_cast<std::size_t>(cache_->size()), 0);
}

HddModel::~HddModel() = default;

DeviceCharacteristics HddModel::characteristics() const {
  DeviceCharacteristics c = DeviceBase::characteristics();  // the scenario's limits and options
  c.feature_force_unit_access = true;
  c.solid_state = false;
  return c;
}

IOReturn HddModel::doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                                    IOStorageAttributes* attributes, IOStorageCompletion* completion) {
  if (IOReturn status = check_transfer(buffer, block, nblks); status != kIOReturnSuccess)
    return status;
  const Op op = buffer->direction == IODirection::kIn ? Op::kRead : Op::kWrite;
  std::uint32_t flags = 0;
  if (attributes && (attributes->options & kIOStorageOptionForceUnitAccess))
    flags |= kFlagFua;
  accept(op, buffer, block, nblks, flags, completion ? *completion : IOStorageCompletion{});
  return kIOReturnSuccess;
}

IOReturn HddModel::doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                                 IOStorageCompletion* completion) {
  if (options & kIOStorageSynchronizeOptionReserved)
    return kIOReturnBadArgument;
  if (powered_off())
    return kIOReturnNoPower;
  const std::uint32_t flags = (options & kIOStorageSynchronizeOptionBarrier) ? kFlagBarrier : 0;
  accept(Op::kFlush, nullptr, block, nblks, flags, completion ? *completion : IOStorageCompletion{});
  return kIOReturnSuccess;
}

IOReturn HddModel::getWriteCacheState(bool* enabled) {
  *enabled = write_cache_enabled_;
  return kIOReturnSuccess;
}

IOReturn HddModel::setWriteCacheState(bool enabled) {
  write_cache_enabled_ = enabled;
  if (enabled && settings_.cache.write_policy == hdd::WritePolicy::kWriteThrough)
    settings_.cache.write_policy = hdd::WritePolicy::kWriteBack;
  if (!enabled) {  // a drive writes its cache back as it stops using it (ATA SET FEATURES, SCSI WCE)
    for (int i = 0; i < cache_->size(); ++i)
      if ((*cache_)[i].state == hdd::SegmentState::kDirty)
        queue_destage(i, engine().now());
    start_arm();
  }
  return kIOReturnSuccess;
}

std::uint32_t HddModel::accept(Op op, IOMemoryDescriptor* buffer, std::uint64_t lba, std::uint64_t blocks,
                               std::uint32_t flags, const IOStorageCompletion& completion) {
  const auto queue_depth = static_cast<std::uint32_t>(requests_.in_use());
  const std::uint32_t index = requests_.acquire();
  Request& r = requests_[index];
  r.completion = completion;
  r.buffer = buffer;
  r.lba = lba;
  r.blocks = blocks;
  r.submit = engine().now();
  r.op = op;
  r.flags = flags;
  r.queue_depth = queue_depth;
  if (tags_.admit_or_wait(index))
    admitted(index);
  return index;
}

// A tag is held: after the per-command overhead the controller looks at the command. Always
// through a timer, so that nothing completes inside doAsyncReadWrite.
void HddModel::admitted(std::uint32_t index) {
  requests_[index].dispatch = engine().now();
  engine().after(settings_.overheads.per_command, [this, index] { arrive(index); });
}

void HddModel::arrive(std::uint64_t index) {
  const auto i = static_cast<std::uint32_t>(index);
  Request& r = requests_[i];
  r.after_read = last_was_read_;
  live_.push_back(i);
  switch (r.op) {
    case Op::kRead: arrive_read(i); break;
    case Op::kWrite: arrive_write(i); break;
    default: arrive_flush(i); break;
  }
}

// The completion message: DiskSim's "type of the previous request" is set as it is sent.
void HddModel::send_completion(std::uint32_t index, SimTime delay) {
  Request& r = requests_[index];
  r.phase = Phase::kCompleting;
  last_was_read_ = r.op == Op::kRead;
  port_->hold(delay, Callback::to<HddModel, &HddModel::completion_sent>(this, index));
}

// Reconnected only to send the completion (a flush).
void HddModel::final_connected(std::uint64_t index) {
  const auto i = static_cast<std::uint32_t>(index);
  send_completion(i, requests_[i].op == Op::kRead ? settings_.overheads.read_complete
                                                  : settings_.overheads.write_complete);
}

void HddModel::completion_sent(std::uint64_t index) {
  if (powered_off())
    return;  // the host is gone too: nothing completes, no data lands
  const auto i = static_cast<std::uint32_t>(index);
  port_->release();
  const Request r = requests_[i];
  store_data(r);
  if (r.segment >= 0) {
    hdd::Segment& s = (*cache_)[r.segment];
    if (s.users > 0)
      --s.users;
    if (r.op == Op::kRead && settings_.cache.keep_request_data < 0 && s.state != hdd::SegmentState::kEmpty)
      s.start = std::clamp(r.end(), s.start, s.end);
    if (s.users == 0 && s.state == hdd::SegmentState::kReading)
      s.read_ahead_only = true;
  }
  live_.erase(std::find(live_.begin(), live_.end(), i));
  // A read served whole from the cache completes before the arm had its turn for it: its media
  // job goes with it (left behind, the job would run for a request that is gone).
  scheduler_->remove(i);
  requests_.release(i);
  const SimTime now = engine().now();
  if (auto next = tags_.release())
    admitted(*next);
  arm_held_ = arm_held_ && arm_holder_ != i;
  start_arm();  // its segment may be free for a queued read now
  retry_segment_waiters();
  if (r.op == Op::kWrite)
    check_destage_triggers();
  check_flushes();
  CompletionRecord record = make_record(r.buffer, r.op, r.lba, r.blocks);
  record.flags = r.flags;
  record.bytes = r.op == Op::kFlush ? 0 : r.blocks * block_size();
  record.submit = r.submit;
  record.dispatch = r.dispatch;
  record.complete = now;
  record.status = kIOReturnSuccess;
  record.queue_depth = r.queue_depth;
  report(record);
  complete(r.completion, kIOReturnSuccess, record.bytes);
}

// The request's bytes, as it completes (a device that carries data).
void HddModel::store_data(const Request& r) {
  if (!data())
    return;
  switch (r.op) {
    case Op::kRead: load_read(*r.buffer, r.lba, r.blocks); break;
    case Op::kWrite: {
      const Durability durability = completed_write_durability(r);
      store_write(*r.buffer, r.lba, r.blocks, durability);
      if (durability == Durability::kVolatile) {
        // A long write-back write: the arm has already put its first blocks on the media.
        const hdd::Segment& s = (*cache_)[r.segment];
        if (s.written > r.lba)
          mark_on_media(r.segment, r.lba, std::min(r.end(), s.written));
      }
      break;
    }
    case Op::kFlush: break;  // what it covered was marked durable as it reached the media
    default: break;
  }
}

// A write completed from the cache is volatile while its segment has not reached the media
// past its last block; every other write completes once on the media.
Durability HddModel::completed_write_durability(const Request& r) const {
  if (!r.write_back || r.segment < 0)
    return Durability::kDurable;
  const hdd::Segment& s = (*cache_)[r.segment];
  const bool dirty = s.state == hdd::SegmentState::kDirty || s.state == hdd::SegmentState::kWriting;
  return dirty && s.written < r.end() ? Durability::kVolatile : Durability::kDurable;
}

void HddModel::wake_at(std::uint32_t index, double t_ns, void (HddModel::*step)(std::uint32_t)) {
  Request& r = requests_[index];
  r.wake = ++wake_serial_;
  const std::uint64_t serial = r.wake;
  const SimTime when = std::max(engine().now(), static_cast<SimTime>(std::llround(t_ns)));
  engine().at(when, [this, index, serial, step] {
    if (requests_[index].wake == serial)
      (this->*step)(index);
  });
}

// Holding the port while the media catches up is how the DiskSim drives behave with one command
// at a time; with others waiting it could hold up the very work it waits for (a write-out that
// makes room, a transfer the arm waits on), so a drive with commands queued disconnects instead.
bool HddModel::may_hold_port(bool for_read) const {
  const auto& port = settings_.interface;
  return (port.never_disconnect || (for_read ? port.hold_bus_for_read : port.hold_bus_for_write)) && live_.size() <= 1;
}

namespace {
const char* phase_name(int phase) {
  static const char* const names[] = {"queued (waiting for a tag or its command overhead)",
                                      "command processing on the port",
                                      "disconnected, waiting for its data or for room",
                                      "asking for the port again",
                                      "connected, moving data",
                                      "connected, waiting for the media",
                                      "disconnected until the media has it",
                                      "sending its completion"};
  return names[phase];
}
const char* segment_state_name(hdd::SegmentState state) {
  switch (state) {
    case hdd::SegmentState::kEmpty: return "empty";
    case hdd::SegmentState::kClean: return "clean";
    case hdd::SegmentState::kReading: return "reading";
    case hdd::SegmentState::kDirty: return "dirty";
    case hdd::SegmentState::kWriting: return "writing";
  }
  return "?";
}
}  // namespace

std::string HddModel::request_state(const IOMemoryDescriptor* buffer, Op op) const {
  for (std::uint32_t i = 0; i < requests_.size(); ++i) {
    if (!requests_.held(i))
      continue;
    const Request& r = requests_[i];
    if (r.op != op || (buffer != nullptr && r.buffer != buffer))
      continue;
    std::string text = phase_name(static_cast<int>(r.phase));
    const bool admitted = std::find(live_.begin(), live_.end(), i) != live_.end();
    if (!admitted)
      text += ", not yet past its command overhead";
    text += ", " + std::to_string(r.out) + " of " + std::to_string(r.blocks) + " blocks moved";
    if (r.segment >= 0) {
      const hdd::Segment& s = (*cache_)[r.segment];
      text += ", segment " + std::to_string(r.segment) + " " + segment_state_name(s.state) + " [" +
              std::to_string(s.start) + ", " + std::to_string(s.end) + ") written to " + std::to_string(s.written);
    } else {
      text += ", no segment yet";
    }
    if (std::find(segment_waiters_.begin(), segment_waiters_.end(), i) != segment_waiters_.end())
      text += ", waiting for a segment";
    text += r.activated ? ", has had its turn at the arm" : ", not yet had its turn at the arm";
    text += std::string("; arm ") + (arm_->busy() ? "busy" : "idle") + ", scheduler " +
            (scheduler_->empty() ? "empty" : "holds jobs") + ", port " + (port_->idle() ? "idle" : "in use");
    return text;
  }
  return {};
}

void HddModel::collect_metrics(std::vector<DeviceMetric>* out) const {
  DeviceBase::collect_metrics(out);  // data and power-cut figures, when the device carries data
  out->push_back({"hdd.read_hits", static_cast<double>(read_hits_), "count"});
  out->push_back({"hdd.read_partial_hits", static_cast<double>(read_partial_hits_), "count"});
  out->push_back({"hdd.read_misses", static_cast<double>(read_misses_), "count"});
  out->push_back({"hdd.writes_cached", static_cast<double>(writes_cached_), "count"});
  out->push_back({"hdd.media_reads", static_cast<double>(media_reads_), "count"});
  out->push_back({"hdd.media_writes", static_cast<double>(media_writes_), "count"});
  if (remapped_blocks_)
    out->push_back({"hdd.remapped_blocks", static_cast<double>(remapped_blocks_), "count"});
}

}  // namespace blocksim
