// The frames that cross the pipes between blocksim.run() in Python and the runner process, as
// fixed-size records in the machine's own byte order (both ends run on the same machine).
// bindings/blocksim/_wire.py declares the same layouts as numpy dtypes; the static_asserts here
// and the dtype sizes there keep them in step.
//
//   runner -> Python   kNeedRequests (count = most wanted)   | kCompletion (count 1, one Completion)
//   Python -> runner   kRequests (count Requests), the answer to either
//   runner -> Python   kCompletion (count Completions), not answered, when the run has no
//                      python workload: the callback can only watch, so completions are streamed
//
// Every frame is a FrameHeader followed by `count` records of its kind.
#pragma once

#include <cstddef>
#include <cstdint>

namespace blocksim::wire {

enum class FrameKind : std::uint8_t { kNeedRequests = 'N', kCompletion = 'C', kRequests = 'Q' };

struct FrameHeader {
  std::uint8_t kind = 0;
  std::uint8_t reserved[3] = {0, 0, 0};
  std::uint32_t count = 0;
};
static_assert(sizeof(FrameHeader) == 8);

inline constexpr std::uint32_t kDefaultDevice = 0xFFFFFFFF;  // Request.device: the workload's own
inline constexpr std::int64_t kAsSoonAsPossible = -1;        // Request.time_ns
inline constexpr std::uint8_t kRequestFua = 1;               // Request.flags bit

// One request from Python. `op` is trace.proto's Op (read 0, write 1, flush 2); offset and size
// are bytes (a flush with size 0 reaches to the end of the device).
struct Request {
  std::int64_t time_ns = kAsSoonAsPossible;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint32_t device = kDefaultDevice;
  std::uint8_t op = 0;
  std::uint8_t flags = 0;
  std::uint16_t reserved = 0;
};
static_assert(sizeof(Request) == 32);
static_assert(offsetof(Request, device) == 24 && offsetof(Request, op) == 28);

// One completion record, field for field the trace's Completion.
struct Completion {
  std::uint64_t request_id, parent_id, lba, blocks, bytes;
  std::int64_t submit_ns, dispatch_ns, complete_ns;
  std::uint32_t device, flags, status, queue_depth;
  std::uint8_t op, layer;
  std::uint8_t reserved[6];
};
static_assert(sizeof(Completion) == 88);
static_assert(offsetof(Completion, device) == 64 && offsetof(Completion, op) == 80);

}  // namespace blocksim::wire
