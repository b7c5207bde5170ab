// IOReturn: the status every request completes with, with Apple's names and values
// (XNU iokit/IOKit/IOReturn.h; the table in docs and ../shared/reference/driver-api.md §1.1),
// and the errno the kernel maps each one to (IOService::errnoFromReturn).
#pragma once

#include <cstdint>
#include <string_view>

namespace blocksim {

using IOReturn = std::uint32_t;

inline constexpr IOReturn kIOReturnSuccess = 0;
inline constexpr IOReturn kIOReturnInvalid = 0xE0000001;
inline constexpr IOReturn kIOReturnError = 0xE00002BC;
inline constexpr IOReturn kIOReturnNoMemory = 0xE00002BD;
inline constexpr IOReturn kIOReturnNoResources = 0xE00002BE;
inline constexpr IOReturn kIOReturnNoDevice = 0xE00002C0;
inline constexpr IOReturn kIOReturnNotPrivileged = 0xE00002C1;
inline constexpr IOReturn kIOReturnBadArgument = 0xE00002C2;
inline constexpr IOReturn kIOReturnLockedWrite = 0xE00002C4;
inline constexpr IOReturn kIOReturnExclusiveAccess = 0xE00002C5;
inline constexpr IOReturn kIOReturnUnsupported = 0xE00002C7;
inline constexpr IOReturn kIOReturnIOError = 0xE00002CA;
inline constexpr IOReturn kIOReturnNotOpen = 0xE00002CD;
inline constexpr IOReturn kIOReturnNotReadable = 0xE00002CE;
inline constexpr IOReturn kIOReturnNotWritable = 0xE00002CF;
inline constexpr IOReturn kIOReturnNotAligned = 0xE00002D0;
inline constexpr IOReturn kIOReturnBadMedia = 0xE00002D1;
inline constexpr IOReturn kIOReturnStillOpen = 0xE00002D2;
inline constexpr IOReturn kIOReturnDMAError = 0xE00002D4;
inline constexpr IOReturn kIOReturnBusy = 0xE00002D5;
inline constexpr IOReturn kIOReturnTimeout = 0xE00002D6;
inline constexpr IOReturn kIOReturnOffline = 0xE00002D7;
inline constexpr IOReturn kIOReturnNotReady = 0xE00002D8;
inline constexpr IOReturn kIOReturnNotAttached = 0xE00002D9;
inline constexpr IOReturn kIOReturnNoSpace = 0xE00002DB;
inline constexpr IOReturn kIOReturnNotPermitted = 0xE00002E2;
inline constexpr IOReturn kIOReturnNoPower = 0xE00002E3;
inline constexpr IOReturn kIOReturnNoMedia = 0xE00002E4;
inline constexpr IOReturn kIOReturnUnformattedMedia = 0xE00002E5;
inline constexpr IOReturn kIOReturnUnderrun = 0xE00002E7;
inline constexpr IOReturn kIOReturnOverrun = 0xE00002E8;
inline constexpr IOReturn kIOReturnDeviceError = 0xE00002E9;
inline constexpr IOReturn kIOReturnAborted = 0xE00002EB;
inline constexpr IOReturn kIOReturnNotResponding = 0xE00002ED;
inline constexpr IOReturn kIOReturnNotFound = 0xE00002F0;

// "kIOReturnBadArgument", or "0x........" for a value without a name here.
std::string_view io_return_name(IOReturn status);

// The errno IOService::errnoFromReturn gives; unlisted codes map to EIO, and a wrapped unix
// errno (sub-system unix) comes back as itself.
int errno_from_return(IOReturn status);

}  // namespace blocksim
