#include "models/hdd/hdd_device.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/core/units.hpp"

namespace blocksim {

HddModel::HddModel(const DeviceContext& context, const proto::Device& config)
    : DeviceBase(context, config, "hdd"),
      settings_(hdd::read_settings(config.hdd())),
      layout_(std::make_unique<hdd::Layout>(config.hdd().layout())),
      mechanics_(std::make_unique<hdd::Mechanics>(config.hdd().mechanics(), *layout_)),
      cache_(std::make_unique<hdd::SegmentCache>(settings_.cache)),
      rules_(*cache_, settings_.cache, *layout_),
      arm_(engine(), *mechanics_, *cache_, settings_, *this),
      destage_(engine(), *cache_, settings_.cache, *this),
      commands_(engine(), settings_.queue_depth, settings_.overheads.per_command,
                [this](std::uint32_t index) { arrive(index); }) {
  if (block_count() > layout_->block_count())
    throw std::invalid_argument("device \"" + context.name + "\": capacity " + std::to_string(block_count()) +
                                " blocks exceeds the layout's " + std::to_string(layout_->block_count()));
  const double nominal = config.has_interface_rate() ? units::bandwidth(config.interface_rate()) : 0;
  port_ = std::make_unique<hdd::HostPort>(engine(), context.dma, block_size(), settings_.interface.read_rate,
                                          settings_.interface.write_rate, nominal);
  write_cache_enabled_ = settings_.cache.write_policy != hdd::WritePolicy::kWriteThrough;
  if (config.write_cache().has_enabled()) {  // the scenario's state at the start
    write_cache_enabled_ = config.write_cache().enabled();
    if (write_cache_enabled_ && settings_.cache.write_policy == hdd::WritePolicy::kWriteThrough)
      settings_.cache.write_policy = hdd::WritePolicy::kWriteBack;
  }
}

HddModel::~HddModel() = default;

DeviceCharacteristics HddModel::characteristics() const {
  DeviceCharacteristics c = DeviceBase::characteristics();  // the scenario's limits and options
  c.feature_force_unit_access = true;
  c.solid_state = false;
  return c;
}

IOReturn HddModel::start_transfer(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                                  const IOStorageAttributes* /*attributes*/, const Transfer& t) {
  commands_.accept(t.op, buffer, block, nblks, t.flags, t.completion);
  return kIOReturnSuccess;
}

IOReturn HddModel::doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                                 IOStorageCompletion* completion) {
  if (options & kIOStorageSynchronizeOptionReserved)
    return kIOReturnBadArgument;
  if (powered_off())
    return kIOReturnNoPower;
  const std::uint32_t flags = (options & kIOStorageSynchronizeOptionBarrier) ? kFlagBarrier : 0;
  commands_.accept(Op::kFlush, nullptr, block, nblks, flags, completion ? *completion : IOStorageCompletion{});
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
    destage_.queue_all_dirty();
    start_arm();
  }
  return kIOReturnSuccess;
}

// Past its per-command overhead (a tag is held): the controller looks at the command.
void HddModel::arrive(std::uint32_t i) {
  Command& r = commands_[i];
  r.after_read = last_was_read_;
  switch (r.op) {
    case Op::kRead: arrive_read(i); break;
    case Op::kWrite: arrive_write(i); break;
    default: arrive_flush(i); break;
  }
}

// The completion message: DiskSim's "type of the previous request" is set as it is sent.
void HddModel::send_completion(std::uint32_t index, SimTime delay) {
  Command& r = commands_[index];
  r.phase = Phase::kCompleting;
  last_was_read_ = r.op == Op::kRead;
  port_->hold(delay, Callback::to<HddModel, &HddModel::completion_sent>(this, index));
}

// Reconnected only to send the completion (a flush).
void HddModel::final_connected(std::uint64_t index) {
  const auto i = static_cast<std::uint32_t>(index);
  send_completion(i, commands_[i].op == Op::kRead ? settings_.overheads.read_complete
                                                  : settings_.overheads.write_complete);
}

void HddModel::completion_sent(std::uint64_t index) {
  if (powered_off())
    return;  // the host is gone too: nothing completes, no data lands
  const auto i = static_cast<std::uint32_t>(index);
  port_->release();
  const Command r = commands_[i];
  store_data(r);
  rules_.release(r);
  // A read served whole from the cache completes before the arm had its turn for it: its media
  // job goes with it (left behind, the job would run for a request that is gone).
  arm_.jobs().remove(i);
  commands_.retire(i);
  arm_.completed(i);
  start_arm();  // its segment may be free for a queued read now
  destage_.retry_segment_waiters();
  if (r.op == Op::kWrite)
    destage_.check_triggers();
  destage_.check_flushes();
  complete_request(r, r.op == Op::kFlush ? 0 : r.blocks * block_size());
}

bool HddModel::arm_has_work() const { return arm_.disk().busy() || !arm_.jobs().empty(); }

bool HddModel::keeps_data() const { return data() && !powered_off(); }

void HddModel::made_durable(std::uint64_t first, std::uint64_t blocks) { flush_data(first, blocks); }

void HddModel::add_write_out_job(int segment, std::uint64_t lbn, SimTime ready) {
  add_job(static_cast<std::uint32_t>(segment) | hdd::ArmControl::kWriteOutJob, lbn, true, ready);
}

// The request's bytes, as it completes (a device that carries data).
void HddModel::store_data(const Command& r) {
  if (!data())
    return;
  switch (r.op) {
    case Op::kRead: load_read(*r.buffer, r.lba, r.blocks); break;
    case Op::kWrite: {
      const Durability durability = destage_.completed_write_durability(r);
      store_write(*r.buffer, r.lba, r.blocks, durability);
      if (durability == Durability::kVolatile) {
        // A long write-back write: the arm has already put its first blocks on the media.
        const hdd::Segment& s = (*cache_)[r.segment];
        if (s.written > r.lba)
          destage_.mark_on_media(r.segment, r.lba, std::min(r.end(), s.written));
      }
      break;
    }
    case Op::kFlush: break;  // what it covered was marked durable as it reached the media
    default: break;
  }
}

// Holding the port while the media catches up is how the DiskSim drives behave with one command
// at a time; with others waiting it could hold up the very work it waits for (a write-out that
// makes room, a transfer the arm waits on), so a drive with commands queued disconnects instead.
bool HddModel::may_hold_port(bool for_read) const {
  const auto& port = settings_.interface;
  return (port.never_disconnect || (for_read ? port.hold_bus_for_read : port.hold_bus_for_write)) &&
         commands_.live().size() <= 1;
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
  for (std::uint32_t i = 0; i < commands_.slots(); ++i) {
    if (!commands_.held(i))
      continue;
    const Command& r = commands_[i];
    if (r.op != op || (buffer != nullptr && r.buffer != buffer))
      continue;
    std::string text = phase_name(static_cast<int>(r.phase));
    const bool admitted = commands_.is_live(i);
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
    if (destage_.waits_for_segment(i))
      text += ", waiting for a segment";
    text += r.activated ? ", has had its turn at the arm" : ", not yet had its turn at the arm";
    text += std::string("; arm ") + (arm_.disk().busy() ? "busy" : "idle") + ", scheduler " +
            (arm_.jobs().empty() ? "empty" : "holds jobs") + ", port " + (port_->idle() ? "idle" : "in use");
    return text;
  }
  return {};
}

void HddModel::collect_metrics(std::vector<DeviceMetric>* out) const {
  DeviceBase::collect_metrics(out);  // data and power-cut figures, when the device carries data
  out->push_back({"hdd.read_hits", static_cast<double>(rules_.hits()), "count"});
  out->push_back({"hdd.read_partial_hits", static_cast<double>(rules_.partial_hits()), "count"});
  out->push_back({"hdd.read_misses", static_cast<double>(rules_.misses()), "count"});
  out->push_back({"hdd.writes_cached", static_cast<double>(writes_cached_), "count"});
  out->push_back({"hdd.media_reads", static_cast<double>(arm_.media_reads()), "count"});
  out->push_back({"hdd.media_writes", static_cast<double>(arm_.media_writes()), "count"});
  if (remapped_blocks_)
    out->push_back({"hdd.remapped_blocks", static_cast<double>(remapped_blocks_), "count"});
}

}  // namespace blocksim
