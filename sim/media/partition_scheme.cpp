#include "sim/media/partition_scheme.hpp"

#include <algorithm>

namespace blocksim {

namespace {
void remove(std::vector<IOService*>& set, IOService* client) { set.erase(std::remove(set.begin(), set.end(), client), set.end()); }
}  // namespace

IOPartitionScheme::IOPartitionScheme(const StackContext& context, IOMedia& whole, std::string scheme_name,
                                     const std::vector<PartitionInfo>& partitions)
    : IOStorageFilter(whole),
      context_(context),
      whole_(whole),
      scheme_name_(std::move(scheme_name)),
      info_(partitions) {
  whole_.attach_stacked(this);
  for (const PartitionInfo& p : info_) {
    IOMediaParams params;
    params.base = p.base;
    params.size = p.size;
    params.preferred_block_size = whole_.getPreferredBlockSize();
    params.attributes = whole_.getAttributes();
    params.is_whole = false;
    params.is_writable = whole_.isWritable();
    params.content_hint = p.content_hint;
    owned_.push_back(std::make_unique<IOMedia>(context_, whole_.name() + "s" + std::to_string(p.id), *this, params,
                                               whole_.device_index()));
    owned_.back()->set_recording(true);
    partitions_.push_back(owned_.back().get());
  }
  if (context_.observer)
    for (IOMedia* media : partitions_)
      context_.observer->media_published(media);
}

bool IOPartitionScheme::update_provider_open() {
  IOStorageAccess level = kIOStorageAccessNone;
  if (!writers_.empty())
    level = kIOStorageAccessReaderWriter | kIOStorageAccessSharedLock;
  else if (!readers_.empty())
    level = kIOStorageAccessReader | kIOStorageAccessSharedLock;
  if (level == provider_level_)
    return true;
  if (level == kIOStorageAccessNone) {
    whole_.close(this);
  } else if (!whole_.open(this, level)) {
    return false;
  }
  provider_level_ = level;
  return true;
}

bool IOPartitionScheme::open(IOService* client, IOStorageAccess access) {
  if (terminated_ || (access != kIOStorageAccessReader && access != kIOStorageAccessReaderWriter))
    return false;
  const auto readers = readers_;
  const auto writers = writers_;
  remove(readers_, client);
  remove(writers_, client);
  (access == kIOStorageAccessReaderWriter ? writers_ : readers_).push_back(client);
  if (!update_provider_open()) {
    readers_ = readers;
    writers_ = writers;
    return false;
  }
  return true;
}

void IOPartitionScheme::close(IOService* client) {
  remove(readers_, client);
  remove(writers_, client);
  if (!terminated_)
    update_provider_open();
}

void IOPartitionScheme::provider_terminated(IOMedia* /*media*/) {
  if (terminated_)
    return;
  terminated_ = true;
  for (IOMedia* partition : partitions_)
    partition->terminate();
  if (provider_level_ != kIOStorageAccessNone)
    whole_.close(this);
  provider_level_ = kIOStorageAccessNone;
  readers_.clear();
  writers_.clear();
  whole_.detach_stacked(this);
}

// The whole media's block size or writability changed: every partition follows, with its base
// and size unchanged (§3.3).
void IOPartitionScheme::provider_parameters_changed(IOMedia* /*media*/) {
  for (IOMedia* partition : partitions_) {
    IOMediaParams params;
    params.base = partition->getBase();
    params.size = partition->getSize();
    params.preferred_block_size = whole_.getPreferredBlockSize();
    params.attributes = whole_.getAttributes();
    params.is_writable = whole_.isWritable();
    params.content_hint = partition->getContentHint();
    partition->init(params);
  }
}

}  // namespace blocksim
