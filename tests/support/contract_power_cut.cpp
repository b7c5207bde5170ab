// ContractCase: the power cut and the checks of what survives it (contract_case.hpp).
#include "tests/support/contract_case.hpp"

#include "models/common/device_base.hpp"
#include "models/common/power_managed_device.hpp"
#include "models/ssd/ssd_device.hpp"

namespace blocksim::testing {

void ContractCase::cut_power() {
  PowerCutFigures& f = report_.power_cut;
  f.happened = true;
  const SimTime cut = engine_.now();
  IOBlockStorageDevice* model = device_.get();
  if (FaultInjector* injector = fault_injector(*device_))
    model = &injector->model();
  if (auto* power = dynamic_cast<PowerManagedDevice*>(model))
    model = &power->model();
  auto* base = dynamic_cast<DeviceBase*>(model);
  DeviceData* data = base ? base->data() : nullptr;
  if (!data) {
    violation("power cut: the device carries no data");
    return;
  }
  // The blocks the workload wrote, and their durable bytes before the cut.
  std::vector<std::uint64_t> touched;
  {
    std::vector<bool> seen;
    for (const Pending& p : requests_)
      if (p.issued >= 0 && (p.request.op == WorkOp::kWrite || p.request.op == WorkOp::kFuaWrite))
        for (std::uint64_t b = p.request.block; b < p.request.block + p.request.blocks; ++b) {
          if (b >= seen.size())
            seen.resize(b + 1, false);
          if (!seen[b]) {
            seen[b] = true;
            touched.push_back(b);
          }
        }
  }
  std::vector<std::uint8_t> durable_before(touched.size() * block_size_);
  for (std::size_t k = 0; k < touched.size(); ++k)
    data->read_durable(touched[k], 1, durable_before.data() + k * block_size_);
  f.cached_blocks = data->cached_blocks();
  const std::uint64_t lost_before = data->lost_blocks();
  auto* ssd = dynamic_cast<SsdDeviceModel*>(model);
  std::vector<std::uint32_t> in_flight;
  if (ssd)
    in_flight = ssd->flash_writer().slots_in_flight();
  f.in_flight_slots = in_flight.size();

  device_->power_cut();

  // Exactly the cache is lost.
  f.lost_blocks = data->lost_blocks() - lost_before;
  if (f.lost_blocks != f.cached_blocks)
    violation("power cut: " + std::to_string(f.lost_blocks) + " blocks lost, but the cache held " +
              std::to_string(f.cached_blocks));
  std::vector<DeviceMetric> metrics;
  device_->collect_metrics(&metrics);
  bool reported = false;
  for (const DeviceMetric& m : metrics)
    if (m.name == "power_cut.lost_blocks") {
      reported = true;
      if (static_cast<std::uint64_t>(m.value) != data->lost_blocks())
        violation("power cut: the device reports " + std::to_string(m.value) + " lost blocks, its data lost " +
                  std::to_string(data->lost_blocks()));
    }
  if (!reported)
    violation("power cut: the device does not report power_cut.lost_blocks");
  std::vector<std::uint8_t> after(block_size_);
  std::uint32_t changed = 0;
  for (std::size_t k = 0; k < touched.size(); ++k) {
    data->read(touched[k], 1, after.data());
    if (std::memcmp(after.data(), durable_before.data() + k * block_size_, block_size_) != 0 && changed++ < 3)
      violation("power cut: block " + std::to_string(touched[k]) + " after the cut is not its durable copy before it");
  }

  // Durability of what was acknowledged durable.
  const bool cache_on = minimum_.cache_on;
  auto durable = [&](const Pending& w) {
    if (w.done_at < 0 || w.status != kIOReturnSuccess)
      return false;
    if (!cache_on || w.request.op == WorkOp::kFuaWrite)
      return true;
    for (const Pending& fl : requests_)
      if (fl.request.op == WorkOp::kFlush && fl.done_at >= 0 && fl.status == kIOReturnSuccess &&
          fl.issued >= w.done_at)
        return true;
    return false;
  };
  std::vector<std::vector<std::size_t>> writes_of;
  std::uint64_t highest = 0;
  for (std::uint64_t b : touched)
    highest = std::max(highest, b);
  writes_of.assign(highest + 1, {});
  for (std::size_t i = 0; i < requests_.size(); ++i) {
    const Pending& p = requests_[i];
    if (p.issued >= 0 && (p.request.op == WorkOp::kWrite || p.request.op == WorkOp::kFuaWrite)) {
      for (std::uint64_t b = p.request.block; b < p.request.block + p.request.blocks; ++b)
        writes_of[b].push_back(i);
      if (durable(p))
        ++f.durable_writes;
    }
  }
  std::vector<std::uint8_t> candidate(block_size_);
  std::uint32_t lost_reports = 0;
  for (std::uint64_t b : touched) {
    std::vector<std::size_t> durables;
    for (std::size_t i : writes_of[b])
      if (durable(requests_[i]))
        durables.push_back(i);
    if (durables.empty())
      continue;
    ++f.blocks_checked;
    data->read(b, 1, after.data());
    bool found = false;
    for (std::size_t i : writes_of[b]) {
      const Pending& w = requests_[i];
      // Older than a durable write (acknowledged before it was issued): it cannot be what the
      // block holds.
      bool superseded = false;
      for (std::size_t d : durables)
        if (w.done_at >= 0 && w.done_at <= requests_[d].issued && d != i)
          superseded = true;
      if (superseded)
        continue;
      ShadowStore::fill_block(w.serial, b, candidate.data(), block_size_);
      if (std::memcmp(candidate.data(), after.data(), block_size_) == 0) {
        found = true;
        break;
      }
    }
    if (!found && lost_reports++ < 3)
      violation("power cut at " + std::to_string(cut) + ": block " + std::to_string(b) + " lost write #" +
                std::to_string(requests_[durables.back()].serial) + " (made durable before the cut); it holds " +
                what_block_holds(b, after.data()));
  }

  // SSD: nothing mapped to a slot whose program did not end, unless power-loss protection carries
  // the programs in flight to their end.
  if (ssd && !ssd->ssd_config().power_loss_protection) {
    std::sort(in_flight.begin(), in_flight.end());
    const std::uint64_t unit = ssd->ssd_config().geometry.unit_bytes;
    std::uint32_t bad = 0;
    for (std::uint64_t b : touched) {
      const std::uint64_t lpn = b * block_size_ / unit;
      const std::uint32_t psn = ssd->ftl().lookup(lpn);
      if (std::binary_search(in_flight.begin(), in_flight.end(), psn) && bad++ < 3)
        violation("power cut: the FTL maps unit " + std::to_string(lpn) + " to slot " + std::to_string(psn) +
                  ", whose program never ended");
      data->read(b, 1, after.data());
      bool zeros = true;
      for (std::uint8_t byte : after)
        zeros = zeros && byte == 0;
      if (!zeros && psn == ssd::kNoSlot && bad++ < 3)
        violation("power cut: block " + std::to_string(b) + " holds durable data but its unit is not mapped");
    }
  }
  report_.end = cut - start_time_;
  report_.digest = sink_.digest;
  if (sink_.writer)
    sink_.writer->finish(proto::RunEnd{});
}

std::string ContractCase::what_block_holds(std::uint64_t block, const std::uint8_t* bytes) const {
  std::vector<std::uint8_t> candidate(block_size_);
  for (std::uint64_t serial = 0; serial <= serials_; ++serial) {
    ShadowStore::fill_block(serial, block, candidate.data(), block_size_);
    if (std::memcmp(candidate.data(), bytes, block_size_) == 0)
      return serial ? "write #" + std::to_string(serial) : "zeros";
  }
  return "other bytes";
}

}  // namespace blocksim::testing
