#include "sim/device/io_return.hpp"

#include <cerrno>

namespace blocksim {

namespace {

struct ReturnInfo {
  IOReturn value;
  std::string_view name;
  int error_number;
};

// EPWROFF and EDEVERR are Darwin errnos with no Linux counterpart; Darwin's values are used.
constexpr int kDarwinEPWROFF = 82;
constexpr int kDarwinEDEVERR = 83;

constexpr ReturnInfo kReturns[] = {
    {kIOReturnSuccess, "kIOReturnSuccess", 0},
    {kIOReturnInvalid, "kIOReturnInvalid", EIO},
    {kIOReturnError, "kIOReturnError", EIO},
    {kIOReturnNoMemory, "kIOReturnNoMemory", ENOMEM},
    {kIOReturnNoResources, "kIOReturnNoResources", ENOMEM},
    {kIOReturnNoDevice, "kIOReturnNoDevice", ENXIO},
    {kIOReturnNotPrivileged, "kIOReturnNotPrivileged", EACCES},
    {kIOReturnBadArgument, "kIOReturnBadArgument", EINVAL},
    {kIOReturnLockedWrite, "kIOReturnLockedWrite", EACCES},
    {kIOReturnExclusiveAccess, "kIOReturnExclusiveAccess", EACCES},
    {kIOReturnUnsupported, "kIOReturnUnsupported", ENOTSUP},
    {kIOReturnIOError, "kIOReturnIOError", EIO},
    {kIOReturnNotOpen, "kIOReturnNotOpen", EACCES},
    {kIOReturnNotReadable, "kIOReturnNotReadable", EACCES},
    {kIOReturnNotWritable, "kIOReturnNotWritable", EROFS},
    {kIOReturnNotAligned, "kIOReturnNotAligned", EINVAL},
    {kIOReturnBadMedia, "kIOReturnBadMedia", ENXIO},
    {kIOReturnStillOpen, "kIOReturnStillOpen", EEXIST},
    {kIOReturnDMAError, "kIOReturnDMAError", EIO},
    {kIOReturnBusy, "kIOReturnBusy", EBUSY},
    {kIOReturnTimeout, "kIOReturnTimeout", ETIMEDOUT},
    {kIOReturnOffline, "kIOReturnOffline", EBUSY},
    {kIOReturnNotReady, "kIOReturnNotReady", EBUSY},
    {kIOReturnNotAttached, "kIOReturnNotAttached", ENXIO},
    {kIOReturnNoSpace, "kIOReturnNoSpace", ENOSPC},
    {kIOReturnNotPermitted, "kIOReturnNotPermitted", EPERM},
    {kIOReturnNoPower, "kIOReturnNoPower", kDarwinEPWROFF},
    {kIOReturnNoMedia, "kIOReturnNoMedia", ENXIO},
    {kIOReturnUnformattedMedia, "kIOReturnUnformattedMedia", ENXIO},
    {kIOReturnUnderrun, "kIOReturnUnderrun", EIO},
    {kIOReturnOverrun, "kIOReturnOverrun", EIO},
    {kIOReturnDeviceError, "kIOReturnDeviceError", kDarwinEDEVERR},
    {kIOReturnAborted, "kIOReturnAborted", EBUSY},
    {kIOReturnNotResponding, "kIOReturnNotResponding", EBUSY},
    {kIOReturnNotFound, "kIOReturnNotFound", EIO},
};

const ReturnInfo* find(IOReturn status) {
  for (const auto& info : kReturns)
    if (info.value == status)
      return &info;
  return nullptr;
}

// err_system(0x3) is the unix sub-system: unix_err(errno) = 0x0C000000 | errno.
constexpr IOReturn kUnixErrMask = 0xFC000000;
constexpr IOReturn kUnixErrSystem = 0x0C000000;

}  // namespace

std::string_view io_return_name(IOReturn status) {
  if (const auto* info = find(status))
    return info->name;
  static thread_local char buffer[16];
  static constexpr char kHex[] = "0123456789ABCDEF";
  buffer[0] = '0';
  buffer[1] = 'x';
  for (int i = 0; i < 8; ++i)
    buffer[2 + i] = kHex[(status >> (28 - 4 * i)) & 0xF];
  return std::string_view(buffer, 10);
}

int errno_from_return(IOReturn status) {
  if ((status & kUnixErrMask) == kUnixErrSystem)
    return static_cast<int>(status & 0x3FFF);
  if (const auto* info = find(status))
    return info->error_number;
  return EIO;
}

}  // namespace blocksim
