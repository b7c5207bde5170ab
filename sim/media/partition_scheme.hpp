// IOPartitionScheme (driver-api.md §3.2): the driver stacked on a whole media object that a scan
// found a partition table on. It publishes one IOMedia per partition (base = the partition's
// start, named "<whole>s<id>"), which check and rebase every request themselves, so the scheme
// only passes requests through to the whole media unchanged (an IOStorageFilter).
//
// Opens: it accepts Reader or ReaderWriter from its partitions and holds one open on the whole
// media at (ReaderWriter if any partition has a writer, else Reader) | SharedLock, dropped with
// the last close; so writers of sibling partitions do not exclude each other.
//
// It owns its partition media objects; they outlive the scheme's own termination (clients may
// hold them) and answer kIOReturnNoMedia once terminated.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/media/io_media.hpp"
#include "sim/media/partition_info.hpp"
#include "sim/media/stack_context.hpp"
#include "sim/media/storage_filter.hpp"

namespace blocksim {

class IOPartitionScheme final : public IOStorageFilter, public IOMediaClient {
 public:
  // Attaches to `whole` and publishes the partitions.
  IOPartitionScheme(const StackContext& context, IOMedia& whole, std::string scheme_name,
                    const std::vector<PartitionInfo>& partitions);

  const std::string& scheme_name() const { return scheme_name_; }
  IOMedia& getProvider() const { return whole_; }
  const std::vector<IOMedia*>& partitions() const { return partitions_; }
  const std::vector<PartitionInfo>& partition_info() const { return info_; }
  bool is_terminated() const { return terminated_; }

  bool open(IOService* client, IOStorageAccess access) override;
  void close(IOService* client) override;
  // Requests, sizes and the device index pass through to the whole media (IOStorageFilter).

  void provider_terminated(IOMedia* media) override;
  void provider_parameters_changed(IOMedia* media) override;

 private:
  bool update_provider_open();

  StackContext context_;
  IOMedia& whole_;
  std::string scheme_name_;
  std::vector<PartitionInfo> info_;
  std::vector<std::unique_ptr<IOMedia>> owned_;
  std::vector<IOMedia*> partitions_;
  std::vector<IOService*> readers_;
  std::vector<IOService*> writers_;
  IOStorageAccess provider_level_ = kIOStorageAccessNone;
  bool terminated_ = false;
};

}  // namespace blocksim
