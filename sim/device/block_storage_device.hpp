// The device interface: IOKit's IOBlockStorageDevice (driver-api.md §5) as a C++ abstract class.
// Everything above it (driver, media, partitions, aio) lives in sim/; every hardware model below
// it lives in models/ and knows only sim/core.
//
// Contract, as in IOKit: a call that returns an error has not started and never calls its
// completion; a call that returns kIOReturnSuccess calls its completion exactly once, later
// (never from inside the call). Calls that block a kernel thread in IOKit (doSynchronize, doUnmap,
// doEjectMedia, doFormatMedia) take a completion here, since nothing blocks in the simulation.
// The optional calls default to kIOReturnUnsupported. A device tells the driver above it about
// media changes through messageClients (kIOMessageMediaStateHasChanged and
// kIOMessageMediaParametersHaveChanged, §4.5).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/device/completion_record.hpp"
#include "sim/device/storage_types.hpp"

namespace blocksim {

// A figure a model reports at the end of a run (write amplification, GC runs, cache hits ...);
// it goes to the summary and to the trace's RunEnd record.
struct DeviceMetric {
  std::string name;  // "ssd.write_amplification"
  double value = 0;
  std::string unit;  // "", "%", "count", "ns" ...
};

// Limits and features the device publishes for the driver (IOKit registry properties).
struct DeviceCharacteristics {
  std::uint64_t max_block_count_read = 0;  // 0: no limit
  std::uint64_t max_block_count_write = 0;
  std::uint64_t max_byte_count_read = 0;
  std::uint64_t max_byte_count_write = 0;
  std::uint64_t max_segment_count_read = 0;
  std::uint64_t max_segment_count_write = 0;
  std::uint64_t max_segment_byte_count_read = 0;
  std::uint64_t max_segment_byte_count_write = 0;
  std::uint32_t min_segment_alignment = 0;  // 0: absent (the driver then assumes 4)
  bool feature_force_unit_access = false;
  bool feature_barrier = false;
  bool feature_unmap = false;
  // The smallest unmap that frees anything (SCSI's optimal unmap granularity, Linux's
  // discard_granularity): a block of a partly covered granule keeps its data. 0: one block.
  std::uint64_t unmap_granularity_bytes = 0;
  bool feature_priority = false;
  bool solid_state = false;  // "Medium Type": Solid State or Rotational
};

class IOBlockStorageDevice;

// The driver stacked on a device (its IOKit client): it receives the device's messages.
class IOBlockStorageDeviceClient {
 public:
  virtual ~IOBlockStorageDeviceClient() = default;
  virtual IOReturn message(std::uint32_t type, IOBlockStorageDevice* provider, std::uintptr_t argument) = 0;
};

class IOBlockStorageDevice {
 public:
  virtual ~IOBlockStorageDevice() = default;

  // The driver above this device; one at a time, not owned (it outlives its attachment).
  void attach_client(IOBlockStorageDeviceClient* client) { client_ = client; }

  // Starts a read (buffer direction In) or write (Out) of `nblks` blocks at `block`.
  virtual IOReturn doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                                    IOStorageAttributes* attributes, IOStorageCompletion* completion) = 0;
  // Makes completed writes in the range durable (nblks 0: to the end); options may ask for a barrier.
  virtual IOReturn doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                                 IOStorageCompletion* completion) = 0;
  virtual IOReturn doUnmap(IOBlockStorageDeviceExtent* /*extents*/, std::uint32_t /*extentsCount*/,
                           IOStorageUnmapOptions /*options*/, IOStorageCompletion* /*completion*/) {
    return kIOReturnUnsupported;
  }
  virtual IOReturn doEjectMedia(IOStorageCompletion* /*completion*/) { return kIOReturnUnsupported; }
  virtual IOReturn doFormatMedia(std::uint64_t /*byteCapacity*/, IOStorageCompletion* /*completion*/) {
    return kIOReturnUnsupported;
  }
  // Fills up to `capacitiesMaxCount`; with a null buffer returns how many there are.
  virtual std::uint32_t doGetFormatCapacities(std::uint64_t* capacities, std::uint32_t capacitiesMaxCount) const;

  virtual std::string getVendorString() const { return "blocksim"; }
  virtual std::string getProductString() const = 0;
  virtual std::string getRevisionString() const { return "1.0"; }
  virtual std::string getAdditionalDeviceInfoString() const { return ""; }

  virtual IOReturn reportBlockSize(std::uint64_t* blockSize) const = 0;
  // The highest valid LBA: block count - 1.
  virtual IOReturn reportMaxValidBlock(std::uint64_t* maxBlock) const = 0;
  virtual IOReturn reportMediaState(bool* mediaPresent, bool* changedState) {
    *mediaPresent = true;
    if (changedState)
      *changedState = false;
    return kIOReturnSuccess;
  }
  virtual IOReturn reportRemovability(bool* isRemovable) {
    *isRemovable = false;
    return kIOReturnSuccess;
  }
  virtual IOReturn reportEjectability(bool* isEjectable) {
    *isEjectable = false;
    return kIOReturnSuccess;
  }
  virtual IOReturn reportWriteProtection(bool* isWriteProtected) {
    *isWriteProtected = false;
    return kIOReturnSuccess;
  }
  virtual IOReturn getWriteCacheState(bool* /*enabled*/) { return kIOReturnUnsupported; }
  virtual IOReturn setWriteCacheState(bool /*enabled*/) { return kIOReturnUnsupported; }
  virtual IOReturn requestIdle() { return kIOReturnUnsupported; }
  // Power management (IOService::setPowerState's role for a block device, docs/stack.md "Power
  // states"). Ordinals count down in power as NVMe's and ATA's do, not up as IOKit's: 0 is active,
  // 1..N the device's low-power states, shallowest first. The call starts the transition and
  // returns; it does not wait for it. A device without low-power states answers
  // kIOReturnUnsupported, an ordinal it does not have kIOReturnBadArgument.
  virtual IOReturn setPowerState(std::uint32_t /*powerStateOrdinal*/) { return kIOReturnUnsupported; }
  // The state the device is in or entering (0 while active or leaving a low-power state).
  virtual IOReturn getPowerState(std::uint32_t* /*powerStateOrdinal*/) const { return kIOReturnUnsupported; }

  virtual DeviceCharacteristics characteristics() const { return {}; }

  // Simulator extensions, not IOKit: end-of-run figures of the model, and what a scenario's
  // events do to the hardware. A device that cannot undergo an event returns kIOReturnUnsupported.
  virtual void collect_metrics(std::vector<DeviceMetric>* /*out*/) const {}
  // Power is lost: whatever a volatile cache held is gone; nothing in flight completes afterwards.
  virtual void power_cut() {}
  // Media taken out or put back (a removable device); the device tells its driver.
  virtual IOReturn set_media_present(bool /*present*/) { return kIOReturnUnsupported; }
  // The write-protect switch moved; the device tells its driver the media parameters changed.
  virtual IOReturn set_write_protection(bool /*on*/) { return kIOReturnUnsupported; }
  // The device goes away (a DriverKit extension terminating); in-flight I/O is aborted.
  virtual IOReturn terminate() { return kIOReturnUnsupported; }
  // The driver gives up on a read or write it sent with `buffer` (its timeout ran out), as SCSI
  // ABORT TASK or NVMe Abort do: the device completes it with kIOReturnAborted, later, never
  // inside this call. kIOReturnNotFound when it holds no such request (it has completed).
  virtual IOReturn abort(IOMemoryDescriptor* /*buffer*/) { return kIOReturnUnsupported; }
  // A write starting at `lba` covered `nblks` sectors that could not be read: they are moved to
  // spares (an HDD's defect list); a model whose later accesses to them cost more keeps note.
  // Default: nothing to do.
  virtual void remap_sectors(std::uint64_t /*lba*/, std::uint64_t /*nblks*/) {}
  // One of the model's own units runs at `speed` times its normal speed (an SSD's die); the
  // model says which units it has. kIOReturnBadArgument for a unit it does not have.
  virtual IOReturn set_component_speed(std::uint32_t /*component*/, double /*speed*/) { return kIOReturnUnsupported; }
  // What the model holds a request it has not completed as (its queue, phase, what it waits for),
  // for the run's report of lost requests; `buffer` names a read or write, null a command.
  // Empty when the model does not know the request or does not say.
  virtual std::string request_state(const IOMemoryDescriptor* /*buffer*/, Op /*op*/) const { return {}; }

 protected:
  // IOService::messageClients: tells the driver above (if any) and returns its answer.
  IOReturn messageClients(std::uint32_t type, std::uintptr_t argument = 0) {
    return client_ ? client_->message(type, this, argument) : kIOReturnSuccess;
  }

 private:
  IOBlockStorageDeviceClient* client_ = nullptr;
};

}  // namespace blocksim
