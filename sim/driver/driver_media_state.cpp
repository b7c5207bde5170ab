// IOBlockStorageDriver's media state machine (driver-api.md §4.5): start, media arriving and
// leaving, the device's messages, eject and format.
#include "sim/driver/block_storage_driver.hpp"

namespace blocksim {

namespace {

BreakUpLimits limits_from(const DeviceCharacteristics& c, bool write) {
  BreakUpLimits l;
  l.max_block_count = write ? c.max_block_count_write : c.max_block_count_read;
  l.max_byte_count = write ? c.max_byte_count_write : c.max_byte_count_read;
  l.max_segment_count = write ? c.max_segment_count_write : c.max_segment_count_read;
  l.max_segment_byte_count = write ? c.max_segment_byte_count_write : c.max_segment_byte_count_read;
  // IOMinimumSegmentAlignmentByteCount: 4 when the device gives none (§4.3).
  l.min_segment_alignment = c.min_segment_alignment ? c.min_segment_alignment : 4;
  return l;
}

}  // namespace

IOReturn IOBlockStorageDriver::start() {
  device_.attach_client(this);
  device_.reportRemovability(&removable_);
  ejectable_ = false;
  if (removable_)
    device_.reportEjectability(&ejectable_);
  characteristics_ = device_.characteristics();
  limits_[0] = limits_from(characteristics_, false);
  limits_[1] = limits_from(characteristics_, true);
  const IOReturn status = check_for_media();
  return removable_ ? kIOReturnSuccess : status;
}

// checkForMedia: the device's "changed" flag is ignored; a change is "present" differing from
// "have a media object".
IOReturn IOBlockStorageDriver::check_for_media() {
  bool present = false;
  bool changed = false;
  if (IOReturn status = device_.reportMediaState(&present, &changed); status != kIOReturnSuccess)
    return status;
  if (present != (media_ != nullptr))
    return mediaStateHasChanged(present ? kIOMediaStateOnline : kIOMediaStateOffline);
  return kIOReturnSuccess;
}

IOReturn IOBlockStorageDriver::mediaStateHasChanged(IOMediaState state) {
  if (state != kIOMediaStateOnline) {
    decommissionMedia(true);
    return kIOReturnSuccess;
  }
  if (media_)
    return kIOReturnBadArgument;
  if (IOReturn status = record_media_parameters(); status != kIOReturnSuccess)
    return status;
  accept_new_media();
  return kIOReturnSuccess;
}

IOReturn IOBlockStorageDriver::record_media_parameters() {
  if (IOReturn status = device_.reportBlockSize(&block_size_); status != kIOReturnSuccess)
    return status;
  if (IOReturn status = device_.reportMaxValidBlock(&max_block_); status != kIOReturnSuccess)
    return status;
  return device_.reportWriteProtection(&write_protected_);
}

IOMediaParams IOBlockStorageDriver::media_params() const {
  IOMediaParams p;
  // A maximum block of 0 gives size 0: a one-block device appears unformatted (§4.5).
  p.size = max_block_ == 0 ? 0 : block_size_ * (max_block_ + 1);
  p.preferred_block_size = block_size_;
  p.attributes = (ejectable_ ? kIOMediaAttributeEjectableMask : 0) | (removable_ ? kIOMediaAttributeRemovableMask : 0);
  p.is_whole = true;
  p.is_writable = !write_protected_;
  return p;
}

void IOBlockStorageDriver::accept_new_media() {
  media_objects_.push_back(std::make_unique<IOMedia>(context_, name_, *this, media_params(), device_index_));
  media_ = media_objects_.back().get();
  opened_by_media_ = false;
  if (context_.observer)
    context_.observer->media_published(media_);
}

IOReturn IOBlockStorageDriver::decommissionMedia(bool forcible) {
  if (media_ == nullptr)
    return kIOReturnNoMedia;
  if (!forcible && media_->is_open())
    return kIOReturnBusy;
  IOMedia* media = media_;
  media_ = nullptr;
  media->terminate();
  opened_by_media_ = false;
  return kIOReturnSuccess;
}

IOReturn IOBlockStorageDriver::message(std::uint32_t type, IOBlockStorageDevice* /*provider*/,
                                       std::uintptr_t argument) {
  switch (type) {
    case kIOMessageMediaStateHasChanged: return mediaStateHasChanged(static_cast<IOMediaState>(argument));
    case kIOMessageMediaParametersHaveChanged:
      if (media_ == nullptr)
        return kIOReturnNoMedia;
      if (IOReturn status = record_media_parameters(); status != kIOReturnSuccess)
        return status;
      media_->init(media_params());
      return kIOReturnSuccess;
    case kIOMessageServiceIsRequestingClose: return decommissionMedia(false);
    default: return kIOReturnUnsupported;
  }
}

std::uint32_t IOBlockStorageDriver::getFormatCapacities(std::uint64_t* capacities,
                                                        std::uint32_t capacitiesMaxCount) const {
  return device_.doGetFormatCapacities(capacities, capacitiesMaxCount);
}

// ejectMedia: an ejectable device loses its media object first (kIOReturnBusy while it is open,
// kIOReturnNoMedia without one); a fixed one is only checked. Then a flush of the whole device
// unless it is write protected (its result ignored), then doEjectMedia.
IOReturn IOBlockStorageDriver::ejectMedia(IOStorageCompletion* completion) {
  IOReturn status = kIOReturnSuccess;
  if (ejectable_)
    status = decommissionMedia(false);
  else if (media_ == nullptr)
    status = kIOReturnNoMedia;
  else if (media_->is_open())
    status = kIOReturnBusy;
  const std::uint32_t slot = new_command(Op::kEject, completion);
  if (status != kIOReturnSuccess) {
    record(requests_[slot], status, 0);
    requests_.release(slot);
    return status;
  }
  DriverRequest& r = requests_[slot];
  r.stage = DriverStage::kEjectFlush;
  if (!write_protected_) {
    IOStorageCompletion done = command_completion(slot);
    if (calls_.doSynchronize(0, 0, kIOStorageSynchronizeOptionNone, &done) == kIOReturnSuccess)
      return kIOReturnSuccess;
  }
  r.stage = DriverStage::kEject;
  IOStorageCompletion done = command_completion(slot);
  status = calls_.doEjectMedia(&done);
  if (status != kIOReturnSuccess) {
    record(requests_[slot], status, 0);
    requests_.release(slot);
  }
  return status;
}

void IOBlockStorageDriver::eject_step(std::uint32_t slot, IOReturn status) {
  DriverRequest& r = requests_[slot];
  if (r.stage == DriverStage::kEject) {
    finish_command(slot, status, 0);
    return;
  }
  // The flush is done, whatever its result: now the eject.
  r.stage = DriverStage::kEject;
  IOStorageCompletion done = command_completion(slot);
  const IOReturn eject = calls_.doEjectMedia(&done);
  if (eject != kIOReturnSuccess)
    finish_command(slot, eject, 0);
}

// formatMedia: the media object goes (kIOReturnBusy while open), the device formats, and the
// media comes back, also after a failed format; the format's own error is what is returned.
IOReturn IOBlockStorageDriver::formatMedia(std::uint64_t byteCapacity, IOStorageCompletion* completion) {
  if (IOReturn status = decommissionMedia(false); status != kIOReturnSuccess)
    return status;
  const std::uint32_t slot = new_command(Op::kFormat, completion);
  IOStorageCompletion done = command_completion(slot);
  const IOReturn status = calls_.doFormatMedia(byteCapacity, &done);
  if (status != kIOReturnSuccess) {
    requests_.release(slot);
    mediaStateHasChanged(kIOMediaStateOnline);
  }
  return status;
}

}  // namespace blocksim
