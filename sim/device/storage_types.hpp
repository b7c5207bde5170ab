// The IOStorage types of the reference (../shared/reference/driver-api.md §1.2), in C++ without
// kernel objects: request options and attributes, the completion triple, extents, media state,
// and IOMemoryDescriptor standing in for the kernel's buffer object.
#pragma once

#include <cstdint>

#include "sim/device/io_return.hpp"

namespace blocksim {

using IOStorageAccess = std::uint32_t;
inline constexpr IOStorageAccess kIOStorageAccessNone = 0x00;
inline constexpr IOStorageAccess kIOStorageAccessReader = 0x01;
inline constexpr IOStorageAccess kIOStorageAccessWriter = 0x02;
inline constexpr IOStorageAccess kIOStorageAccessReaderWriter = 0x03;
inline constexpr IOStorageAccess kIOStorageAccessSharedLock = 0x04;
inline constexpr IOStorageAccess kIOStorageAccessExclusiveLock = 0x08;
inline constexpr IOStorageAccess kIOStorageAccessInvalid = 0x0D;
inline constexpr IOStorageAccess kIOStorageAccessReserved = 0xFFFFFFF0;

using IOStorageOptions = std::uint16_t;
inline constexpr IOStorageOptions kIOStorageOptionNone = 0x0000;
inline constexpr IOStorageOptions kIOStorageOptionForceUnitAccess = 0x0001;
inline constexpr IOStorageOptions kIOStorageOptionIsEncrypted = 0x0010;
inline constexpr IOStorageOptions kIOStorageOptionIsStatic = 0x0020;
inline constexpr IOStorageOptions kIOStorageOptionReserved = 0xFFCE;

using IOStoragePriority = std::uint8_t;
inline constexpr IOStoragePriority kIOStoragePriorityHigh = 63;
inline constexpr IOStoragePriority kIOStoragePriorityDefault = 127;
inline constexpr IOStoragePriority kIOStoragePriorityLow = 191;
inline constexpr IOStoragePriority kIOStoragePriorityBackground = 255;

using IOStorageSynchronizeOptions = std::uint32_t;
inline constexpr IOStorageSynchronizeOptions kIOStorageSynchronizeOptionNone = 0x00000000;
inline constexpr IOStorageSynchronizeOptions kIOStorageSynchronizeOptionBarrier = 0x00000002;
inline constexpr IOStorageSynchronizeOptions kIOStorageSynchronizeOptionReserved = 0xFFFFFFFD;

using IOStorageUnmapOptions = std::uint32_t;
inline constexpr IOStorageUnmapOptions kIOStorageUnmapOptionNone = 0;
inline constexpr IOStorageUnmapOptions kIOStorageUnmapOptionWhole = 1;
inline constexpr IOStorageUnmapOptions kIOStorageUnmapOptionReserved = 0xFFFFFFFE;

struct IOStorageAttributes {
  IOStorageOptions options = kIOStorageOptionNone;
  IOStoragePriority priority = kIOStoragePriorityDefault;
  std::uint8_t reserved0024 = 0;
  std::uint32_t reserved0032 = 0;
  std::uint64_t reserved0064 = 0;
  std::int64_t adjustedOffset = 0;
  std::uint64_t bufattr = 0;
};

struct IOStorageExtent {
  std::uint64_t byteStart = 0;
  std::uint64_t byteCount = 0;
};

struct IOBlockStorageDeviceExtent {
  std::uint64_t blockStart = 0;
  std::uint64_t blockCount = 0;
};

enum IOMediaState : std::uint32_t { kIOMediaStateOffline = 0, kIOMediaStateOnline = 1, kIOMediaStateBusy = 2 };

// IOMedia::init's attributes (driver-api.md §3.1).
using IOMediaAttributeMask = std::uint32_t;
inline constexpr IOMediaAttributeMask kIOMediaAttributeEjectableMask = 0x1;
inline constexpr IOMediaAttributeMask kIOMediaAttributeRemovableMask = 0x2;

// Messages a device sends to the driver above it (messageClients, driver-api.md §4.5 and §5):
// iokit_family_msg(sub_iokit_block_storage, n) and iokit_common_msg(0x100).
inline constexpr std::uint32_t kIOMessageMediaStateHasChanged = 0xE0010001;
inline constexpr std::uint32_t kIOMessageMediaParametersHaveChanged = 0xE0010002;
inline constexpr std::uint32_t kIOMessageServiceIsRequestingClose = 0xE0000100;

using IOStorageCompletionAction = void (*)(void* target, void* parameter, IOReturn status,
                                           std::uint64_t actualByteCount);

// Called exactly once per started request. Holds no ownership; the caller keeps target and
// parameter alive until the action runs.
struct IOStorageCompletion {
  void* target = nullptr;
  IOStorageCompletionAction action = nullptr;
  void* parameter = nullptr;
};

// IOStorage::complete: runs the action if there is one.
inline void complete(const IOStorageCompletion& completion, IOReturn status, std::uint64_t actualByteCount = 0) {
  if (completion.action)
    completion.action(completion.target, completion.parameter, status, actualByteCount);
}

enum class IODirection : std::uint8_t { kIn, kOut };  // In: device to memory (a read)

// Stands in for IOMemoryDescriptor: the direction and length of a request's buffer, and its bytes
// when the run carries data (`bytes` is null in timing-only runs). The caller owns the descriptor
// and its bytes, and keeps both alive until the request completes.
//
// Physical layout, for the driver's break-up by segments (§4.2): a buffer is one contiguous
// segment unless `segment_bytes` is set, in which case it lies in physically separate pieces of
// that many bytes (the pages of user memory, say), the first of which starts `segment_phase`
// bytes into its piece.
//
// `request_id` and `parent_id` are the simulator's identity of the I/O the buffer belongs to and
// of the request it was split from (0: none), carried down so that every layer's trace record
// names the request; they are not part of IOKit.
struct IOMemoryDescriptor {
  IODirection direction = IODirection::kIn;
  std::uint64_t length = 0;
  std::uint8_t* bytes = nullptr;
  std::uint64_t request_id = 0;
  std::uint64_t parent_id = 0;
  std::uint64_t segment_bytes = 0;
  std::uint64_t segment_phase = 0;

  // The part [offset, offset + count) of this buffer, as its own descriptor with the same ids.
  IOMemoryDescriptor sub_range(std::uint64_t offset, std::uint64_t count) const {
    IOMemoryDescriptor part = *this;
    part.length = count;
    part.bytes = bytes ? bytes + offset : nullptr;
    if (segment_bytes)
      part.segment_phase = (segment_phase + offset) % segment_bytes;
    return part;
  }
};

}  // namespace blocksim
