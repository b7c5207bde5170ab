// IOReturn values and errno mapping as in XNU (driver-api.md section 1.1).
#include <gtest/gtest.h>

#include <cerrno>

#include "sim/device/io_return.hpp"

namespace blocksim {
namespace {

TEST(IOReturn, ValuesAreApples) {
  // sys_iokit | sub_iokit_common | code, with sys_iokit = 0x38 << 26.
  EXPECT_EQ(kIOReturnError, (0x38u << 26) | 0x2BC);
  EXPECT_EQ(kIOReturnBadArgument, 0xE00002C2u);
  EXPECT_EQ(kIOReturnNoMedia, 0xE00002E4u);
  EXPECT_EQ(kIOReturnAborted, 0xE00002EBu);
  EXPECT_EQ(io_return_name(kIOReturnUnderrun), "kIOReturnUnderrun");
  EXPECT_EQ(io_return_name(0xE0001234), "0xE0001234");
}

TEST(IOReturn, ErrnoFromReturn) {
  EXPECT_EQ(errno_from_return(kIOReturnSuccess), 0);
  EXPECT_EQ(errno_from_return(kIOReturnBadArgument), EINVAL);
  EXPECT_EQ(errno_from_return(kIOReturnNoMedia), ENXIO);
  EXPECT_EQ(errno_from_return(kIOReturnNotWritable), EROFS);
  EXPECT_EQ(errno_from_return(kIOReturnBusy), EBUSY);
  EXPECT_EQ(errno_from_return(kIOReturnTimeout), ETIMEDOUT);
  EXPECT_EQ(errno_from_return(kIOReturnUnsupported), ENOTSUP);
  EXPECT_EQ(errno_from_return(kIOReturnNotFound), EIO);
  EXPECT_EQ(errno_from_return(0xE0009999), EIO);             // not listed: EIO
  EXPECT_EQ(errno_from_return(0x0C000000 | ENOSPC), ENOSPC);  // unix_err(ENOSPC)
}

}  // namespace
}  // namespace blocksim
