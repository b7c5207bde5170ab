// IOMedia: a whole disk, a partition or a RAID set, as clients see it (driver-api.md §3.1). It
// checks each request in the reference's order, adds its base and forwards it to its provider
// (the block storage driver, a partition scheme or a RAID set):
//   read / write   1 terminated: NoMedia   2 not open: NotOpen   3 write, open reader-only:
//                  NotPrivileged   4 write, not writable: LockedWrite   5 size or block size 0:
//                  UnformattedMedia   6 no buffer, 7 wrong direction, 8 start past the end,
//                  9 end past the end: BadArgument (no alignment check: the driver deblocks)
//   synchronize    1-5, then the range; unmap: 1-5, then every extent (nothing is sent if one is out)
// Errors complete at once, inside the call, as IOKit does.
//
// Opens follow IOMedia's access table: readers share; one plain writer at a time; writers that
// all ask for SharedLock coexist; an ExclusiveLock open needs the media to itself; a writer's open
// fails on media that is not writable. A plain writer other than the driver stacked on the media
// (a partition scheme, a RAID set) first tears that driver down, unless it holds the media open,
// in which case the open fails. The clients' combined level is opened on the provider. When a
// writer leaves, the media is probed again, so a partition table written through it is found.
//
// The creator owns the media object; a terminated one stays alive (clients may still hold it) and
// answers kIOReturnNoMedia.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/slot_pool.hpp"
#include "sim/media/io_storage.hpp"
#include "sim/media/stack_context.hpp"

namespace blocksim {

class IOMedia;

struct IOMediaParams {
  std::uint64_t base = 0;  // byte offset in the provider
  std::uint64_t size = 0;
  std::uint64_t preferred_block_size = 0;
  IOMediaAttributeMask attributes = 0;
  bool is_whole = false;
  bool is_writable = true;
  std::string content_hint;
};

// A driver stacked on a media object: a partition scheme or a RAID set.
class IOMediaClient : public virtual IOService {
 public:
  // The media is terminated, or a plain writer asks the stacked driver to go (§3.1).
  virtual void provider_terminated(IOMedia* media) = 0;
  // The media was re-initialised with new parameters (block size, writability).
  virtual void provider_parameters_changed(IOMedia* /*media*/) {}
};

class IOMedia final : public IOStorage {
 public:
  IOMedia(const StackContext& context, std::string name, IOStorage& provider, const IOMediaParams& params,
          std::uint32_t device_index);

  // IOMedia::init on a live object: new parameters, the stacked driver is told.
  void init(const IOMediaParams& params);
  // The media goes away: later I/O answers kIOReturnNoMedia; the stacked driver and the observer are told.
  void terminate();
  // Record a media-layer completion for every request (partitions and RAID sets do; the driver's
  // whole-disk media does not, since the driver records the same request at the same moment).
  void set_recording(bool on) { recording_ = on; }

  bool is_inactive() const { return inactive_; }
  const std::string& name() const { return name_; }
  std::uint64_t getBase() const { return params_.base; }
  std::uint64_t getSize() const { return params_.size; }
  std::uint64_t getPreferredBlockSize() const { return params_.preferred_block_size; }
  bool isWhole() const { return params_.is_whole; }
  bool isWritable() const { return params_.is_writable; }
  bool isEjectable() const { return params_.attributes & kIOMediaAttributeEjectableMask; }
  bool isFormatted() const { return params_.size != 0 && params_.preferred_block_size != 0; }
  const std::string& getContentHint() const { return params_.content_hint; }
  IOMediaAttributeMask getAttributes() const { return params_.attributes; }
  IOStorage& provider() const { return provider_; }

  void attach_stacked(IOMediaClient* driver) { stacked_ = driver; }
  void detach_stacked(IOMediaClient* driver) {
    if (stacked_ == driver)
      stacked_ = nullptr;
  }
  IOMediaClient* stacked() const { return stacked_; }
  bool is_open() const { return !clients_.empty(); }
  bool is_open_by(const IOService* client) const;
  // The combined level of every client: None, Reader or ReaderWriter.
  IOStorageAccess open_level() const;

  bool open(IOService* client, IOStorageAccess access) override;
  void close(IOService* client) override;
  void read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
            IOStorageCompletion* completion) override;
  void write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
             IOStorageCompletion* completion) override;
  IOReturn synchronize(std::uint64_t byteStart, std::uint64_t byteCount, IOStorageSynchronizeOptions options,
                       IOStorageCompletion* completion) override;
  IOReturn unmap(IOStorageExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                 IOStorageCompletion* completion) override;
  std::uint64_t size_bytes() const override { return params_.size; }
  std::uint64_t block_size() const override { return params_.preferred_block_size; }
  std::uint32_t device_index() const override { return device_index_; }

 private:
  struct Opener {
    IOService* client;
    IOStorageAccess access;
  };
  struct Traced {
    IOStorageCompletion completion;
    IOMemoryDescriptor* buffer = nullptr;
    std::uint64_t byte_start = 0;
    SimTime submit = 0;
    std::uint32_t flags = 0;
    std::uint32_t queue_depth = 0;
    std::uint32_t slot = 0;
  };

  IOReturn check_state(bool write) const;
  IOReturn check_io(std::uint64_t byteStart, const IOMemoryDescriptor* buffer, IODirection direction) const;
  bool compatible(const IOService* client, IOStorageAccess access) const;
  bool set_provider_level(IOStorageAccess level);
  void transfer(bool write, std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                IOStorageCompletion* completion);
  void record(const IOMemoryDescriptor* buffer, std::uint64_t byteStart, SimTime submit, std::uint32_t flags,
              std::uint32_t queue_depth, IOReturn status, std::uint64_t bytes) const;
  static void traced_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes);

  StackContext context_;
  std::string name_;
  IOStorage& provider_;
  IOMediaParams params_;
  std::uint32_t device_index_;
  bool inactive_ = false;
  bool recording_ = false;
  IOStorageAccess provider_level_ = kIOStorageAccessNone;
  std::vector<Opener> clients_;
  IOMediaClient* stacked_ = nullptr;
  SlotPool<Traced> traced_;
};

}  // namespace blocksim
