// Where each request of a trace goes: which simulated device (the trace's devices mapped onto the
// scenario's, ONE or EACH, with explicit entries overriding), and where on it: a read or write's
// byte range widened to whole blocks of the device (an unmap is passed as it is: the driver
// rounds it inward), and a range past the device's end rejected, wrapped or scaled as the replay
// says. Every change it makes is counted and shown in the report; a request
// it cannot place comes back with the reason, for the replay to report as a bad line.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "blocksim/replay.pb.h"
#include "sim/replay/trace_request.hpp"
#include "sim/media/io_storage.hpp"

namespace blocksim {

struct ReplayTarget {
  std::string name;  // the scenario's device name
  IOStorage* storage = nullptr;
  std::uint64_t capacity = 0;  // bytes, whole blocks
  std::uint64_t block_size = 0;
};

struct MappedRequest {
  std::uint32_t target = 0;  // index into the mapping's targets
  std::uint64_t offset = 0;  // bytes, block-aligned (an unmap: as the trace gave it)
  std::uint64_t bytes = 0;   // whole blocks (an unmap: as given); 0 for a flush
};

class DeviceMapping {
 public:
  // `targets`: the scenario's devices in order; `default_target`: the workload's own device.
  // Throws std::invalid_argument when a `map` entry names no target (scenario checks catch it first).
  DeviceMapping(std::vector<ReplayTarget> targets, std::size_t default_target, const proto::Replay& config);

  // SCALE: the end of the furthest request of each trace device (by name), in bytes.
  void set_extents(const std::map<std::string, std::uint64_t>& extents) { extents_ = extents; }

  // Places `request` (whose device is names[request.device]); returns "" on success, else why it
  // cannot be served.
  std::string map(const TraceRequest& request, const std::vector<std::string>& names, MappedRequest* out);

  const ReplayTarget& target(std::uint32_t index) const { return targets_[index]; }
  std::size_t target_count() const { return targets_.size(); }

  std::uint64_t widened() const { return widened_; }
  std::uint64_t moved() const { return moved_; }

  // The mapping as used (each trace device, its target and request count) and what the LBA
  // policy and block alignment changed, with warnings for widened requests and for trace devices
  // larger than their simulated devices.
  void print(std::ostream& out, const std::vector<std::string>& names) const;

 private:
  static constexpr int kUnresolved = -2;
  static constexpr int kNoTarget = -1;

  int resolve(std::uint32_t device, const std::string& name);
  void note_extent(std::uint32_t device, std::uint64_t end);
  std::string place(const ReplayTarget& target, const std::string& name, std::uint64_t start, std::uint64_t end,
                    MappedRequest* out);

  std::vector<ReplayTarget> targets_;
  std::size_t default_target_;
  proto::Replay::Mapping mode_;
  proto::Replay::LbaPolicy policy_;
  std::map<std::string, std::size_t> explicit_;
  std::map<std::string, std::uint64_t> extents_;
  std::vector<int> assigned_;              // by trace device index
  std::vector<std::uint64_t> requests_;    // by trace device index
  std::vector<std::uint64_t> extent_seen_;  // by trace device index: the end of its furthest request
  std::uint64_t widened_ = 0;
  std::uint64_t moved_ = 0;                // wrapped or scaled
};

}  // namespace blocksim
