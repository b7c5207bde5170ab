// What a layer reports when it completes a request, and the sink it reports to. The values of
// Op, Layer and the flag bits are those of trace.proto, so a record converts to a trace entry
// field by field. Models report their device-layer completions here; they never see the trace.
#pragma once

#include <cstdint>
#include <string>

#include "sim/device/io_return.hpp"
#include "sim/core/sim_time.hpp"

namespace blocksim {

enum class Op : std::uint8_t { kRead = 0, kWrite = 1, kFlush = 2, kUnmap = 3, kEject = 4, kFormat = 5 };
inline constexpr int kOpCount = 6;

enum class Layer : std::uint8_t { kDevice = 0, kDriver = 1, kMedia = 2, kAio = 3 };
inline constexpr int kLayerCount = 4;

inline constexpr std::uint32_t kFlagFua = 1;
inline constexpr std::uint32_t kFlagBarrier = 2;

const char* op_name(Op op);
const char* layer_name(Layer layer);

struct CompletionRecord {
  std::uint64_t request_id = 0;
  std::uint64_t parent_id = 0;  // 0: none
  std::uint32_t device = 0;
  Op op = Op::kRead;
  Layer layer = Layer::kDevice;
  std::uint32_t flags = 0;
  std::uint64_t lba = 0;
  std::uint64_t blocks = 0;
  std::uint64_t bytes = 0;  // actually transferred
  SimTime submit = 0;
  SimTime dispatch = 0;
  SimTime complete = 0;
  IOReturn status = 0;
  std::uint32_t queue_depth = 0;  // outstanding at this layer when it arrived, itself excluded
};

// Something that happened to the hardware or the stack rather than to one request: an injected
// fault, a scenario event, a RAID set going degraded (trace kind TraceEvent, faults.proto).
struct EventRecord {
  SimTime time = 0;
  std::string kind;          // "unreadable", "remove_device", "raid_degraded" ...
  std::int32_t device = -1;  // the device's index in the run; -1: none
  std::string target;        // the device, bus or RAID set it happened to
  std::uint64_t lba = 0;
  std::uint64_t blocks = 0;
  std::string detail;
};

class CompletionSink {
 public:
  virtual ~CompletionSink() = default;
  virtual void record(const CompletionRecord& completion) = 0;
  // Events are rare; a sink that does not keep them ignores them.
  virtual void event(const EventRecord& /*event*/) {}
};

}  // namespace blocksim
