"""The frames between blocksim.run() and the runner process, as numpy dtypes: the same layouts
as bindings/runner/wire_format.hpp (fixed size, the machine's own byte order)."""

import struct

import numpy as np

FRAME_HEADER = struct.Struct("=B3xI")  # kind, count
NEED_REQUESTS = ord("N")
COMPLETION = ord("C")
REQUESTS = ord("Q")

DEFAULT_DEVICE = 0xFFFFFFFF
AS_SOON_AS_POSSIBLE = -1
FLAG_FUA = 1

REQUEST_DTYPE = np.dtype([("time_ns", "=i8"), ("offset", "=u8"), ("size", "=u8"), ("device", "=u4"),
                          ("op", "u1"), ("flags", "u1"), ("reserved", "=u2")])
COMPLETION_DTYPE = np.dtype([("request_id", "=u8"), ("parent_id", "=u8"), ("lba", "=u8"), ("blocks", "=u8"),
                             ("bytes", "=u8"), ("submit_ns", "=i8"), ("dispatch_ns", "=i8"),
                             ("complete_ns", "=i8"), ("device", "=u4"), ("flags", "=u4"), ("status", "=u4"),
                             ("queue_depth", "=u4"), ("op", "u1"), ("layer", "u1"), ("reserved", "V6")])
COMPLETION_STRUCT = struct.Struct("=5Q3q4I2B6x")

assert FRAME_HEADER.size == 8 and REQUEST_DTYPE.itemsize == 32
assert COMPLETION_DTYPE.itemsize == 88 == COMPLETION_STRUCT.size
