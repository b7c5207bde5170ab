#include "sim/replay/device_mapping.hpp"

#include <algorithm>
#include <stdexcept>

namespace blocksim {

namespace {

const char* policy_name(proto::Replay::LbaPolicy policy) {
  switch (policy) {
    case proto::Replay::WRAP: return "wrap";
    case proto::Replay::SCALE: return "scale";
    default: return "reject";
  }
}

std::string range(std::uint64_t start, std::uint64_t end) {
  return "bytes [" + std::to_string(start) + ", " + std::to_string(end) + ")";
}

}  // namespace

DeviceMapping::DeviceMapping(std::vector<ReplayTarget> targets, std::size_t default_target,
                             const proto::Replay& config)
    : targets_(std::move(targets)),
      default_target_(default_target),
      mode_(config.mapping()),
      policy_(config.lba()) {
  for (const auto& entry : config.map()) {
    std::size_t found = targets_.size();
    for (std::size_t i = 0; i < targets_.size(); ++i)
      if (targets_[i].name == entry.device())
        found = i;
    if (found == targets_.size())
      throw std::invalid_argument("replay map: no device is named \"" + entry.device() + "\"");
    explicit_[entry.trace_device()] = found;
  }
}

int DeviceMapping::resolve(std::uint32_t device, const std::string& name) {
  if (device >= assigned_.size()) {
    assigned_.resize(device + 1, kUnresolved);
    requests_.resize(device + 1, 0);
  }
  int& assigned = assigned_[device];
  if (assigned == kUnresolved) {
    if (auto it = explicit_.find(name); it != explicit_.end())
      assigned = static_cast<int>(it->second);
    else if (mode_ == proto::Replay::EACH)
      assigned = device < targets_.size() ? static_cast<int>(device) : kNoTarget;
    else
      assigned = static_cast<int>(default_target_);
  }
  return assigned;
}

std::string DeviceMapping::map(const TraceRequest& request, const std::vector<std::string>& names,
                               MappedRequest* out) {
  const std::string& name = names.at(request.device);
  const int index = resolve(request.device, name);
  ++requests_[request.device];
  if (index == kNoTarget)
    return "trace device \"" + name + "\" is number " + std::to_string(request.device + 1) +
           " in order of appearance, and there are " + std::to_string(targets_.size()) +
           " simulated devices (mapping EACH)";
  const ReplayTarget& target = targets_[static_cast<std::size_t>(index)];
  out->target = static_cast<std::uint32_t>(index);
  if (request.op == Op::kFlush) {
    out->offset = 0;
    out->bytes = 0;
    return "";
  }
  if (request.op != Op::kRead && request.op != Op::kWrite && request.op != Op::kUnmap)
    return std::string("an ") + op_name(request.op) + " cannot be replayed";
  if (request.bytes == 0)
    return std::string("a ") + op_name(request.op) + " of zero length";
  const std::uint64_t block = target.block_size;
  if (request.offset > UINT64_MAX - block - request.bytes)
    return "the byte range runs past 2^64";
  note_extent(request.device, request.offset + request.bytes);
  // An unmap is never widened: discarding a neighbour's data would be wrong. The driver rounds
  // it inward to whole blocks (a partial block is not discarded).
  if (request.op == Op::kUnmap)
    return place(target, name, request.offset, request.offset + request.bytes, out);
  const std::uint64_t start = request.offset / block * block;
  const std::uint64_t end_raw = request.offset + request.bytes;
  const std::uint64_t end = end_raw % block == 0 ? end_raw : end_raw - end_raw % block + block;
  if (start != request.offset || end != end_raw)
    ++widened_;
  return place(target, name, start, end, out);
}

std::string DeviceMapping::place(const ReplayTarget& target, const std::string& name, std::uint64_t start,
                                 std::uint64_t end, MappedRequest* out) {
  const std::uint64_t length = end - start;
  if (length > target.capacity)
    return "a request of " + std::to_string(length) + " bytes is larger than device " + target.name + " (" +
           std::to_string(target.capacity) + " bytes)";
  std::uint64_t placed = start;
  if (policy_ == proto::Replay::SCALE) {
    const auto extent = extents_.find(name);
    if (extent != extents_.end() && extent->second > target.capacity) {
      const auto scaled = static_cast<unsigned __int128>(start) * target.capacity / extent->second;
      placed = static_cast<std::uint64_t>(scaled) / target.block_size * target.block_size;
    }
  }
  if (placed + length > target.capacity) {
    if (policy_ == proto::Replay::REJECT)
      return range(start, end) + " run past the end of device " + target.name + " (" +
             std::to_string(target.capacity) + " bytes; --lba wrap or scale would place it)";
    if (policy_ == proto::Replay::WRAP)
      placed %= target.capacity;
    if (placed + length > target.capacity)
      placed = target.capacity - length;
  }
  if (placed != start)
    ++moved_;
  out->offset = placed;
  out->bytes = length;
  return "";
}

void DeviceMapping::note_extent(std::uint32_t device, std::uint64_t end) {
  if (device >= extent_seen_.size())
    extent_seen_.resize(device + 1, 0);
  extent_seen_[device] = std::max(extent_seen_[device], end);
}

void DeviceMapping::print(std::ostream& out, const std::vector<std::string>& names) const {
  constexpr std::size_t kShown = 32;
  for (std::size_t i = 0; i < assigned_.size() && i < names.size(); ++i) {
    if (i == kShown) {
      out << "mapping: ... and " << assigned_.size() - kShown << " more trace devices\n";
      break;
    }
    out << "mapping: trace device \"" << names[i] << "\" -> ";
    if (assigned_[i] >= 0)
      out << targets_[static_cast<std::size_t>(assigned_[i])].name << " (" << requests_[i] << " requests)\n";
    else
      out << "none (" << requests_[i] << " requests not served)\n";
  }
  out << "lba policy: " << policy_name(policy_);
  if (policy_ != proto::Replay::REJECT)
    out << " (" << moved_ << " requests moved)";
  out << "\n";
  if (widened_ > 0)
    out << "warning: widened to whole blocks: " << widened_ << " requests were not whole " << targets_[0].block_size
        << "-byte blocks of the device and were rounded out (more data moved than the trace asked for; a "
           "profile with the recorded drive's logical block size avoids it)\n";
  // A trace device reaching past its simulated device was recorded on a larger one: wrap or scale
  // placed its requests, but its access pattern no longer matches the recorded drive's.
  for (std::size_t i = 0; i < extent_seen_.size() && i < assigned_.size() && i < names.size(); ++i) {
    if (assigned_[i] < 0)
      continue;
    const ReplayTarget& target = targets_[static_cast<std::size_t>(assigned_[i])];
    if (extent_seen_[i] > target.capacity)
      out << "warning: capacity mismatch: trace device \"" << names[i] << "\" reaches byte " << extent_seen_[i]
          << ", past the " << target.capacity << " bytes of " << target.name
          << "; it was recorded on a larger device, and its requests were placed by --lba "
          << policy_name(policy_) << "\n";
  }
}

}  // namespace blocksim
